from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.invitation import ProposalState
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0010_applications')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Invitation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_constraint=True, to_field='id', related_name='invitations', on_delete=OnDelete.CASCADE)),
                ('key_hash', fields.CharField(unique=True, max_length=64)),
                ('created_by', fields.CharField(max_length=80)),
                ('sent_to', fields.CharField(default='', max_length=254)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'invitation', 'app': 'models', 'pk_attr': 'id', 'table_description': "A private link to one partner's update form: used once (a proposal, or a"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Proposal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_constraint=True, to_field='id', related_name='proposals', on_delete=OnDelete.CASCADE)),
                ('invitation', fields.ForeignKeyField('models.Invitation', source_field='invitation_id', null=True, db_constraint=True, to_field='id', related_name='proposals', on_delete=OnDelete.SET_NULL)),
                ('proposer_name', fields.CharField(max_length=120)),
                ('proposer_email', fields.CharField(max_length=254)),
                ('changes', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('state', fields.CharEnumField(default=ProposalState.PENDING, db_index=True, description='PENDING: pending\nAPPROVED: approved\nREJECTED: rejected', enum_type=ProposalState, max_length=12)),
                ('submitted_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('decided_by', fields.CharField(default='', max_length=80)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decision_reason', fields.CharField(default='', max_length=500)),
            ],
            options={'table': 'proposal', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Changes a partner proposed to its public facts, through an invitation:'},
            bases=['Model'],
        ),
    ]
