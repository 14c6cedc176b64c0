"""The data: partners, what they run and where, and the rule for what is public."""

from models.agreement import Agreement, AgreementKind, AgreementStatus
from models.application import Application, ApplicationState
from models.audit import AuditEntry
from models.changes import ChangeKind, ListingChange, record_listing
from models.db import database, tortoise_config
from models.invitation import Invitation, Proposal, ProposalState
from models.listing import Listing
from models.partner import Partner, PartnerStatus
from models.program import Program, Timing
from models.school import SchoolLevel, SchoolSite
from models.session import Session, Weekday
from models.staff import Role, StaffToken, hash_token, new_token
from models.support import SupportKind, SupportRecord
from models.taxonomy import Category, Language, ServiceType

__all__ = [
    "Agreement",
    "AgreementKind",
    "AgreementStatus",
    "Application",
    "ApplicationState",
    "AuditEntry",
    "Category",
    "ChangeKind",
    "Invitation",
    "Language",
    "Listing",
    "ListingChange",
    "Partner",
    "PartnerStatus",
    "Program",
    "Proposal",
    "ProposalState",
    "Role",
    "SchoolLevel",
    "SchoolSite",
    "ServiceType",
    "Session",
    "StaffToken",
    "SupportKind",
    "SupportRecord",
    "Timing",
    "Weekday",
    "database",
    "hash_token",
    "new_token",
    "record_listing",
    "tortoise_config",
]
