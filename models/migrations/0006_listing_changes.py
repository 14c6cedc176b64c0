from tortoise import migrations
from tortoise.migrations import operations as ops
from models.changes import ChangeKind
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_translations')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ListedPartner',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner_key', fields.IntField(unique=True)),
                ('digest', fields.CharField(max_length=64)),
                ('since', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('modified', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'listed_partner', 'app': 'models', 'pk_attr': 'id', 'table_description': "The recorder's view: a partner the listing showed when it last looked."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ListingChange',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner_key', fields.IntField(db_index=True)),
                ('kind', fields.CharEnumField(description='ADDED: added\nUPDATED: updated\nREMOVED: removed', enum_type=ChangeKind, max_length=10)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('day', fields.DateField()),
                ('revision', fields.IntField()),
            ],
            options={'table': 'listing_change', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One change to the public listing, `id` being its place in the log.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ListingRecord',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('revision', fields.IntField()),
                ('day', fields.DateField(null=True)),
                ('at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'listing_record', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One row: the (revision, day) the recorder last looked at, and when.'},
            bases=['Model'],
        ),
    ]
