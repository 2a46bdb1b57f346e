"""The app's keys in the user's words and keys: the [keymap] of the user's config applied, the
binding ids it may name, and bindings' descriptions (message keys) given the user's language.
Mixed into desk.app.DeskApp; split from it as an idea of its own."""

from __future__ import annotations

from dataclasses import replace

from desk.i18n import t


class KeymapBindings:
    def apply_keymap(self, keymap: dict) -> None:
        """The user's [keymap] (binding id -> keys): unknown ids and bad values are reported, not fatal."""
        from desk.config_check import is_key

        known = self.binding_ids()
        good, unknown, bad = {}, [], []
        for binding_id, keys in keymap.items():
            if binding_id not in known:
                unknown.append(str(binding_id))
            elif isinstance(keys, str) and keys.strip() and all(is_key(k) for k in keys.split(",")):
                good[binding_id] = keys
            else:
                bad.append(str(binding_id))
        for key, ids in (("tui.keymap.unknown", unknown), ("tui.keymap.bad_value", bad)):
            if ids:  # ("[keymap]" is text, not markup)
                self.notify(t(key, self.lang, ids=", ".join(sorted(ids)[:8])), severity="warning", timeout=8,
                            markup=False)
        self.set_keymap(good)

    def binding_ids(self) -> set[str]:
        from desk.config_check import screen_binding_ids

        # (the private `_bindings` iterates (key, Binding) like App.active_bindings would, but holds
        # the app's own bindings only, not the focused chain's; checked by test_textual_private_api)
        ids = {b.id for _, b in self._bindings if b.id}
        classes = [self.screen_class(entry.id) for entry, _cls in self._screens]
        return ids | screen_binding_ids([cls for cls in classes if cls is not None])

    def localise_bindings(self, node) -> None:
        """Binding descriptions are message keys ("tui.key.assign"): give them the user's words."""
        # (a Binding's description has no public setter: the node's private `_bindings` map is
        # rewritten, the one the footer, the key bar and the palette read; checked by
        # tests/tui/test_textual_private_api.py)
        bindings = node._bindings
        for key, items in list(bindings.key_to_bindings.items()):
            bindings.key_to_bindings[key] = [
                replace(b, description=t(b.description, self.lang), tooltip=t(b.description, self.lang))
                if b.description.startswith(("tui.", "lists.", "problems.", "changes.", "report.", "request.")) else b
                for b in items
            ]
