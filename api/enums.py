"""The models' enums as GraphQL enums, registered once with their descriptions.
Annotate with these names; importing them is what registers them."""

import strawberry

import models as m

for _enum, _description in (
    (m.PartnerStatus, "Where a partner stands."),
    (m.AgreementKind, "What an agreement is."),
    (m.AgreementStatus, "Pending, active, ended."),
    (m.SchoolLevel, "The kind of school."),
    (m.Timing, "When a program runs."),
    (m.ChangeKind, "How the public listing changed for a partner."),
    (m.SupportKind, "What the office gave a partner."),
    (m.Weekday, "A day of the week; its value is its iCalendar (RFC 5545) code."),
    (m.ApplicationState, "Where an application to become a partner stands."),
    (m.ProposalState, "Where a partner's proposed changes stand."),
):
    strawberry.enum(_enum, description=_description)

PartnerStatus = m.PartnerStatus
AgreementKind = m.AgreementKind
AgreementStatus = m.AgreementStatus
SchoolLevel = m.SchoolLevel
Timing = m.Timing
ChangeKind = m.ChangeKind
SupportKind = m.SupportKind
Weekday = m.Weekday
ApplicationState = m.ApplicationState
ProposalState = m.ProposalState
