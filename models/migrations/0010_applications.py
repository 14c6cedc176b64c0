from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.application import ApplicationState
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0009_program_sessions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Application',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_constraint=True, to_field='id', related_name='applications', on_delete=OnDelete.CASCADE)),
                ('contact_name', fields.CharField(max_length=120)),
                ('contact_email', fields.CharField(db_index=True, max_length=254)),
                ('contact_phone', fields.CharField(default='', max_length=32)),
                ('name_key', fields.CharField(db_index=True, max_length=200)),
                ('attestations', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('language', fields.CharField(default='en', max_length=12)),
                ('address_key', fields.CharField(db_index=True, max_length=64)),
                ('state', fields.CharEnumField(default=ApplicationState.NEW, db_index=True, description='NEW: new\nCHANGES_ASKED: changes_asked\nAPPROVED: approved\nDECLINED: declined', enum_type=ApplicationState, max_length=20)),
                ('decision_reason', fields.CharField(default='', max_length=500)),
                ('decided_by', fields.CharField(default='', max_length=80)),
                ('submitted_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'application', 'app': 'models', 'pk_attr': 'id', 'table_description': "An organization's application: its APPLIED partner, the person who"},
            bases=['Model'],
        ),
    ]
