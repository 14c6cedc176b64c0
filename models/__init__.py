"""The data: partners, what they run and where, and the rule for what is public."""

from models.agreement import Agreement, AgreementKind, AgreementStatus
from models.db import DATABASE_URL, database, tortoise_config
from models.partner import Partner, PartnerStatus, district_today
from models.program import Program
from models.school import SchoolLevel, SchoolSite
from models.staff import AuditEntry, Role, StaffToken, hash_token, new_token
from models.taxonomy import Category, Language, ServiceType

__all__ = [
    "DATABASE_URL",
    "Agreement",
    "AuditEntry",
    "Role",
    "StaffToken",
    "hash_token",
    "new_token",
    "AgreementKind",
    "AgreementStatus",
    "Category",
    "Language",
    "Partner",
    "PartnerStatus",
    "Program",
    "SchoolLevel",
    "SchoolSite",
    "ServiceType",
    "database",
    "district_today",
    "tortoise_config",
]
