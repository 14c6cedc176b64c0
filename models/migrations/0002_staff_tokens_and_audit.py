from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.staff import Role
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('actor', fields.CharField(max_length=80)),
                ('action', fields.CharField(max_length=60)),
                ('entity', fields.CharField(max_length=40)),
                ('entity_key', fields.CharField(db_index=True, max_length=120)),
                ('changes', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('reason', fields.CharField(default='', max_length=500)),
            ],
            options={'table': 'audit_entry', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One change: who made it, when, to what, and the values before and after.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StaffToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=80)),
                ('role', fields.CharEnumField(description='VIEWER: viewer\nEDITOR: editor', enum_type=Role, max_length=10)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'staff_token', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An API token of the partnerships office. Only its hash is kept.'},
            bases=['Model'],
        ),
    ]
