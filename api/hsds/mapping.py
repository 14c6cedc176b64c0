"""From the public API's answers to Open Referral HSDS 3.0 objects.

Everything here is a pure function of what the public GraphQL queries returned
(api/hsds/queries/), so HSDS can never show more than the public API does. The
mapping, in short (docs/developer.md, "Open Referral (HSDS 3.0)"):

- partner -> organization (its categories as attributes of our "partnership
  categories" taxonomy; its public address, when it has one, as a location);
- program -> service (status active; service types as attributes of our
  "service types" taxonomy; grades as eligibility; cost as cost_options; its
  sessions at the partner's own site, or else its timing words, as schedules;
  languages);
- school site -> location with its address;
- a program at a school site -> service_at_location, its sessions there as
  schedules (schedules.py says where each goes, and why).

Ids are the public API's stable UUIDs; objects that exist only in HSDS (an
address, a phone, a language entry, an attribute…) get UUIDs derived from their
owner's, so they are stable too."""

import functools
from collections.abc import Callable
from typing import Any

from api.hsds import schedules
from api.hsds.ids import derived
from models.settings import current

Json = dict[str, Any]
HSDS_VERSION = "3.0"
PROFILE = "https://docs.openreferral.org/en/latest/hsds/"
CURRENCY = "USD"


def site_url(path: str = "") -> str:
    return current().site_url.rstrip("/") + "/" + path


# Our two taxonomies, by key.
TAXONOMY_KEYS = ("categories", "service_types")


def _taxonomy(key: str) -> Json:
    """Taxonomy `key` as the settings name it (shared: not to be changed)."""
    settings = current()
    return _taxonomies(settings.district_name, settings.site_url)[key]


@functools.cache
def _taxonomies(district: str, url: str) -> dict[str, Json]:
    """Our taxonomies, stable ids from fixed names and URIs on the directory, made
    once for each district name and site (every category a partner has names
    one)."""
    site = url.rstrip("/") + "/"
    return {
        "categories": {
            "id": derived("00000000-0000-0000-0000-000000000000", "categories"),
            "name": f"{district}: partnership categories",
            "description": "The kinds of partnership the district holds with an "
            "organization; one organization can hold several.",
            "uri": site + "about/",
            "version": "1",
        },
        "service_types": {
            "id": derived("00000000-0000-0000-0000-000000000000", "service-types"),
            "name": f"{district}: service types",
            "description": "What kind of service a program gives students: "
            "tutoring, mentoring, mental health…",
            "uri": site + "services/",
            "version": "1",
        },
    }


def _some(**values: Any) -> Json:
    """The values that are there: HSDS fields are left out rather than empty."""
    return {k: v for k, v in values.items() if v not in (None, "", [])}


def metadata() -> Json:
    """The answer to GET /hsds/: the API, its HSDS version and its publisher."""
    settings = current()
    return {
        "version": HSDS_VERSION,
        "profile": PROFILE,
        "description": f"The community partners of {settings.district_name} that "
        "are listed publicly today, in Open Referral HSDS 3.0.",
        "publisher": {
            "name": settings.district_name,
            "email": settings.district_email,
            "website": site_url(),
        },
    }


def taxonomy(key: str) -> Json:
    return dict(_taxonomy(key))


def taxonomy_term(key: str, term: Json) -> Json:
    """A category or a service type as a term of our taxonomy `key`."""
    page = "about/#" if key == "categories" else "services/"
    suffix = "" if key == "categories" else "/"
    return _some(
        id=term["uuid"],
        code=term["slug"],
        name=term["name"],
        description=term.get("description") or term["name"],
        taxonomy=_taxonomy(key)["name"],
        taxonomy_id=_taxonomy(key)["id"],
        term_uri=site_url(f"{page}{term['slug']}{suffix}"),
        language="en",
    )


def _attribute(owner: str, entity: str, key: str, term: Json) -> Json:
    return {
        "id": derived(owner, f"attribute:{term['uuid']}"),
        "link_id": owner,
        "link_type": _taxonomy(key)["name"],
        "link_entity": entity,
        "taxonomy_term_id": term["uuid"],
        "taxonomy_term": taxonomy_term(key, term),
    }


def _phone(owner: str, field: str, number: str) -> list[Json]:
    if not number:
        return []
    return [{"id": derived(owner, "phone"), field: owner, "number": number}]


def _address(owner: str, address: Json) -> Json:
    return {
        "id": derived(owner, "address"),
        "location_id": owner,
        "address_1": address["street"],
        "city": address["city"],
        "state_province": current().district_state,
        "postal_code": address["postalCode"],
        "country": current().district_country,
        "address_type": "physical",
    }


def location(site: Json) -> Json:
    """A school site."""
    return _some(
        id=site["uuid"],
        location_type="physical",
        url=site_url(f"schools/{site['slug']}/"),
        name=site["name"],
        latitude=site["latitude"],
        longitude=site["longitude"],
        addresses=[_address(site["uuid"], site["address"])],
        phones=_phone(site["uuid"], "location_id", site["phone"]),
    )


def _office(partner: Json) -> list[Json]:
    """The partner's own public address, as a location (none when confidential)."""
    if not partner.get("address"):
        return []
    owner = derived(partner["uuid"], "location")
    return [
        {
            "id": owner,
            "location_type": "physical",
            "organization_id": partner["uuid"],
            "name": partner["name"],
            "addresses": [_address(owner, partner["address"])],
        }
    ]


def organization(partner: Json, services: list[Json] | None = None) -> Json:
    """A partner; with `services`, the whole record."""
    owner = partner["uuid"]
    found = _some(
        id=owner,
        name=partner["name"],
        description=partner["description"] or partner["summary"] or partner["name"],
        email=partner["email"],
        website=partner["website"],
        uri=site_url(f"partners/{partner['slug']}/"),
    )
    if services is None:
        return found
    return {
        **found,
        "phones": _phone(owner, "organization_id", partner["phone"]),
        "locations": _office(partner),
        "attributes": [
            _attribute(owner, "organization", "categories", category)
            for category in partner["categories"]
        ],
        "services": services,
    }


def _cost(owner: str, program: Json) -> list[Json]:
    if program["free"]:
        return [
            {
                "id": derived(owner, "cost"),
                "service_id": owner,
                "option": "Free",
                "currency": CURRENCY,
                "amount": 0,
            }
        ]
    return [
        _some(
            id=derived(owner, "cost"),
            service_id=owner,
            option="Paid",
            amount_description=program["cost"],
        )
    ]


def service(
    program: Json,
    partner: Json | None,
    at: Callable[[Json, Json], Json] | None = None,
) -> Json:
    """A program. `partner`: its organization, nested; `at`: with the whole record,
    what makes each of its service_at_locations from (program, school site)."""
    owner = program["uuid"]
    found = _some(
        id=owner,
        organization_id=partner["uuid"] if partner else None,
        name=program["name"],
        description=program["description"],
        email=partner["email"] if partner else None,
        status="active",
        eligibility_description=f"Students in grades {program['grades']}",
        fees_description=program["cost"] or ("Free" if program["free"] else None),
    )
    found["languages"] = [
        {
            "id": derived(owner, f"language:{language['code']}"),
            "service_id": owner,
            "name": language["name"],
            "code": language["code"],
        }
        for language in program["languages"]
    ]
    found["cost_options"] = _cost(owner, program)
    found["schedules"] = schedules.of_service(program)
    found["attributes"] = [
        _attribute(owner, "service", "service_types", kind)
        for kind in program["serviceTypes"]
    ]
    if partner is not None:
        found["organization"] = organization(partner)
    if at is not None:
        found["service_at_locations"] = [
            at(program, site) for site in program["schoolSites"]
        ]
    return found


def service_at_location(
    link: str, program: Json, site: Json, partner: Json | None = None
) -> Json:
    """A program at a school site, with its sessions there as schedules; with
    `partner`, its service in full."""
    found: Json = {
        "id": link,
        "service_id": program["uuid"],
        "location_id": site["uuid"],
    }
    if there := schedules.of_sessions(
        program, site["uuid"], "service_at_location_id", link
    ):
        found["schedules"] = there
    found["location"] = location(site)
    if partner is not None:
        found["service"] = service(program, partner)
    return found
