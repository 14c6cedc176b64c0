"""How long each plain list in the schema can be, read from the data.

The cost limit (api/limits.py) multiplies what is selected under a list by the
list's bound, so a document's cost is an upper bound on the objects its answer
can hold. Bounds are read again whenever the data's revision changes."""

from dataclasses import dataclass
from functools import cached_property

from graphql import GraphQLSchema
from tortoise import connections

from models.languages import translated_languages
from models.session import Weekday

FEED_MAX = 1000  # the change log's largest page (api/changes.py)

# One statement; each figure is a count or the largest group, 0 for no rows.
_LARGEST = "SELECT COALESCE(MAX(n), 0) FROM ({}) AS groups"
_SQL = "SELECT " + ", ".join(
    f"({sql}) AS {name}"
    for name, sql in {
        "categories": "SELECT COUNT(*) FROM category",
        "service_types": "SELECT COUNT(*) FROM service_type",
        "languages": "SELECT COUNT(*) FROM language",
        "school_sites": "SELECT COUNT(*) FROM school_site",
        "partners": "SELECT COUNT(*) FROM partner",
        "agreements": "SELECT COUNT(*) FROM agreement",
        "partner_categories": _LARGEST.format(
            "SELECT COUNT(*) AS n FROM partner_category GROUP BY partner_id"
        ),
        "partner_programs": _LARGEST.format(
            "SELECT COUNT(*) AS n FROM program GROUP BY partner_id"
        ),
        "partner_agreements": _LARGEST.format(
            "SELECT COUNT(*) AS n FROM agreement GROUP BY partner_id"
        ),
        "partner_support": _LARGEST.format(
            "SELECT COUNT(*) AS n FROM support_record GROUP BY partner_id"
        ),
        "partner_history": _LARGEST.format(
            "SELECT COUNT(*) AS n FROM audit_entry WHERE partner_key IS NOT NULL "
            "GROUP BY partner_key"
        ),
        "program_service_types": _LARGEST.format(
            "SELECT COUNT(*) AS n FROM program_service_type GROUP BY program_id"
        ),
        "program_sites": _LARGEST.format(
            "SELECT COUNT(*) AS n FROM program_site GROUP BY program_id"
        ),
        "program_sessions": _LARGEST.format(
            "SELECT COUNT(*) AS n FROM program_session GROUP BY program_id"
        ),
        "program_languages": _LARGEST.format(
            "SELECT COUNT(*) AS n FROM program_language GROUP BY program_id"
        ),
        "partner_service_types": _LARGEST.format(
            "SELECT COUNT(DISTINCT link.servicetype_id) AS n FROM program "
            "JOIN program_service_type AS link ON link.program_id = program.id "
            "GROUP BY program.partner_id"
        ),
        "partner_sites": _LARGEST.format(
            "SELECT COUNT(DISTINCT link.schoolsite_id) AS n FROM program "
            "JOIN program_site AS link ON link.program_id = program.id "
            "GROUP BY program.partner_id"
        ),
        "partner_languages": _LARGEST.format(
            "SELECT COUNT(DISTINCT link.language_id) AS n FROM program "
            "JOIN program_language AS link ON link.program_id = program.id "
            "GROUP BY program.partner_id"
        ),
    }.items()
)
# A mutation's field errors: one or two per input field, which the schema fixes.
MAX_FIELD_ERRORS = 60
# An application's: ten programs of five sessions have some 400 fields; it says at
# most this many (api/mutations/applications.py).
MAX_APPLICATION_ERRORS = 200


@dataclass(frozen=True)
class Bounds:
    """The largest length of each list field, by (type name, field name)."""

    lists: tuple[tuple[tuple[str, str], int], ...]

    @cached_property
    def _by_field(self) -> dict[tuple[str, str], int]:
        return dict(self.lists)

    def of(self, parent: str, field: str) -> int | None:
        """The bound of `parent.field`, or None for a list nobody bounded."""
        return self._by_field.get((parent, field))

    @classmethod
    def of_data(cls, figures: dict[str, int], schema: GraphQLSchema) -> "Bounds":
        f = figures
        partner = {
            "categories": f["partner_categories"],
            "programs": f["partner_programs"],
            "serviceTypes": f["partner_service_types"],
            "schoolSites": f["partner_sites"],
            "languages": f["partner_languages"],
        }
        lists = {
            ("Query", "categories"): f["categories"],
            ("Query", "serviceTypes"): f["service_types"],
            ("Query", "languages"): f["languages"],
            ("Query", "schoolSites"): f["school_sites"],
            **{("Partner", name): n for name, n in partner.items()},
            **{("StaffPartner", name): n for name, n in partner.items()},
            ("StaffPartner", "agreements"): f["partner_agreements"],
            ("StaffPartner", "history"): f["partner_history"],
            ("StaffPartner", "supportRecords"): f["partner_support"],
            ("Program", "serviceTypes"): f["program_service_types"],
            ("Program", "schoolSites"): f["program_sites"],
            ("Program", "languages"): f["program_languages"],
            ("Program", "sessions"): f["program_sessions"],
            ("Session", "days"): len(Weekday),
            **_partner_link(f),
            ("StaffQuery", "expiringAgreements"): f["agreements"],
            ("StaffQuery", "lapsingPartners"): f["partners"],
            **_fixed_by_schema(schema),
        }
        return cls(tuple(sorted(lists.items())))


def _partner_link(f: dict[str, int]) -> dict[tuple[str, str], int]:
    """A partner's own record, through its private link (api/invitations.py),
    and a proposal's differences: the partner's five fields and two texts in each
    language, and each program's five and its texts (api/proposals.py)."""
    languages = len(translated_languages())
    return {
        ("InvitedRecord", "programs"): f["partner_programs"],
        ("InvitedProgram", "schoolSites"): f["program_sites"],
        ("InvitedProgram", "languages"): f["program_languages"],
        ("InvitedProgram", "sessions"): f["program_sessions"],
        ("InvitedSession", "days"): len(Weekday),
        ("Proposal", "differences"): 5
        + 2 * languages
        + (5 + languages) * f["partner_programs"],
    }


def _fixed_by_schema(schema: GraphQLSchema) -> dict[tuple[str, str], int]:
    """Lists the schema itself bounds: mutations' field errors, a record's
    translations (one per language but English), a page of the change log (its
    largest `first`). Introspection is counted on the schema directly, see
    api/cost.py."""
    fixed = {
        (name, "errors"): MAX_FIELD_ERRORS
        for name in schema.type_map
        if name.endswith("Payload")
    }
    fixed[("ApplicationReceipt", "errors")] = MAX_APPLICATION_ERRORS
    fixed[("ProposalReceipt", "errors")] = MAX_APPLICATION_ERRORS
    fixed[("Proposal", "problems")] = MAX_APPLICATION_ERRORS
    fixed[("ListingChanges", "changes")] = FEED_MAX
    for name, kind in schema.type_map.items():
        if "translations" in getattr(kind, "fields", {}) and not name.endswith("Input"):
            fixed[(name, "translations")] = len(translated_languages())
    return fixed


async def read_bounds(schema: GraphQLSchema) -> Bounds:
    """The bounds as the data stands now (one statement)."""
    [row] = await connections.get("default").execute_query_dict(_SQL)
    return Bounds.of_data({k: int(v or 0) for k, v in row.items()}, schema)
