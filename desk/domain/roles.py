"""Role codes. Labels live in config (en + zh); the permission table in permissions.py."""

L1 = "l1"
L2 = "l2"
VENDOR = "vendor"
LEAD = "lead"  # incident manager / shift lead
APPROVER = "approver"
REQUEST_MANAGER = "request_manager"
OPS_LEAD = "ops_lead"
CATALOGUE_MAINTAINER = "catalogue_maintainer"
REPORT_MANAGER = "report_manager"
REPORT_REVIEWER = "report_reviewer"
REPORT_WRITER = "report_writer"
ADMIN = "admin"

ALL_ROLES = (
    L1,
    L2,
    VENDOR,
    LEAD,
    APPROVER,
    REQUEST_MANAGER,
    OPS_LEAD,
    CATALOGUE_MAINTAINER,
    REPORT_MANAGER,
    REPORT_REVIEWER,
    REPORT_WRITER,
    ADMIN,
)
