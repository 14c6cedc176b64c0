"""Mutations: staff writes, for tokens with the editor role; the public mutation
an application to become a partner is; and a partner's own, with the key of the
private link the office sent it."""

from strawberry.tools import merge_types

from api.mutations.agreements import AgreementMutations
from api.mutations.applications import ApplicationMutations
from api.mutations.partners import PartnerMutations
from api.mutations.programs import ProgramMutations
from api.mutations.proposals import ProposalMutations
from api.mutations.school_sites import SchoolSiteMutations
from api.mutations.service_types import ServiceTypeMutations

Mutation = merge_types(
    "Mutation",
    (
        PartnerMutations,
        ProgramMutations,
        SchoolSiteMutations,
        ServiceTypeMutations,
        AgreementMutations,
        ApplicationMutations,
        ProposalMutations,
    ),
)

__all__ = ["Mutation"]
