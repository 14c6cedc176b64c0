"""Staff mutations, for tokens with the editor role."""

from strawberry.tools import merge_types

from api.mutations.agreements import AgreementMutations
from api.mutations.partners import PartnerMutations
from api.mutations.programs import ProgramMutations

Mutation = merge_types(
    "Mutation", (PartnerMutations, ProgramMutations, AgreementMutations)
)

__all__ = ["Mutation"]
