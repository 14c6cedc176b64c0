from tortoise import migrations
from tortoise.migrations import operations as ops
from models.support import SupportKind
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0007_history_by_partner')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SupportRecord',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='support_records', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='EVALUATION_TRAINING: evaluation_training\nTECHNICAL_ASSISTANCE: technical_assistance', enum_type=SupportKind, max_length=30)),
                ('held_on', fields.DateField()),
                ('topic', fields.CharField(max_length=200)),
                ('staff', fields.CharField(max_length=120)),
                ('notes', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'support_record', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A training session or an assistance contact with a partner (staff only).'},
            bases=['Model'],
        ),
    ]
