from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0008_support_records')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Session',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('program', fields.ForeignKeyField('models.Program', source_field='program_id', db_index=True, db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('site', fields.ForeignKeyField('models.SchoolSite', source_field='site_id', null=True, db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('days', fields.CharField(max_length=20)),
                ('start_minute', fields.SmallIntField()),
                ('end_minute', fields.SmallIntField()),
                ('valid_from', fields.DateField()),
                ('valid_until', fields.DateField()),
            ],
            options={'table': 'program_session', 'app': 'models', 'pk_attr': 'id', 'table_description': 'When and where a program meets, week by week, in a term.'},
            bases=['Model'],
        ),
    ]
