from tortoise import migrations
from tortoise.migrations import operations as ops
from models.agreement import AgreementKind, AgreementStatus
from models.partner import PartnerStatus
from models.school import SchoolLevel
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Category',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=60)),
                ('name', fields.CharField(max_length=120)),
                ('description', fields.TextField(unique=False)),
                ('requires_contract', fields.BooleanField(default=False)),
                ('position', fields.SmallIntField(default=0)),
            ],
            options={'table': 'category', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A partnership category. One organization can hold several.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Language',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=12)),
                ('name', fields.CharField(max_length=60)),
                ('native_name', fields.CharField(max_length=60)),
            ],
            options={'table': 'language', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A language a program is offered in, by its ISO 639-1 code.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Partner',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=80)),
                ('name', fields.CharField(db_index=True, max_length=200)),
                ('summary', fields.CharField(default='', max_length=300)),
                ('description', fields.TextField(default='', unique=False)),
                ('website', fields.CharField(default='', max_length=300)),
                ('email', fields.CharField(default='', max_length=254)),
                ('phone', fields.CharField(default='', max_length=32)),
                ('street', fields.CharField(default='', max_length=160)),
                ('city', fields.CharField(default='', max_length=80)),
                ('postal_code', fields.CharField(default='', max_length=12)),
                ('address_confidential', fields.BooleanField(default=False)),
                ('categories', fields.ManyToManyField('models.Category', unique=True, db_constraint=True, through='partner_category', forward_key='category_id', backward_key='partner_id', related_name='partners', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(db_index=True, description='APPLIED: applied\nAPPROVED: approved\nSUSPENDED: suspended\nINACTIVE: inactive', enum_type=PartnerStatus, max_length=20)),
                ('status_reason', fields.CharField(default='', max_length=500)),
                ('internal_notes', fields.TextField(default='', unique=False)),
                ('last_verified_on', fields.DateField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'partner', 'app': 'models', 'pk_attr': 'id', 'table_description': "An outside organization that serves the district's students."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SchoolSite',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=80)),
                ('name', fields.CharField(db_index=True, max_length=160)),
                ('level', fields.CharEnumField(description='ELEMENTARY: elementary\nK8: k8\nMIDDLE: middle\nHIGH: high\nALTERNATIVE: alternative', enum_type=SchoolLevel, max_length=20)),
                ('grade_min', fields.SmallIntField()),
                ('grade_max', fields.SmallIntField()),
                ('street', fields.CharField(max_length=160)),
                ('city', fields.CharField(max_length=80)),
                ('postal_code', fields.CharField(max_length=12)),
                ('phone', fields.CharField(default='', max_length=32)),
                ('latitude', fields.FloatField(null=True)),
                ('longitude', fields.FloatField(null=True)),
            ],
            options={'table': 'school_site', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A school building. Grades run from -1 (pre-K) and 0 (kindergarten) to 12.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ServiceType',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=60)),
                ('name', fields.CharField(max_length=120)),
                ('description', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'service_type', 'app': 'models', 'pk_attr': 'id', 'table_description': 'What kind of help a program gives: tutoring, mentoring, mental health…'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Program',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=120)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='programs', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('service_types', fields.ManyToManyField('models.ServiceType', unique=True, db_constraint=True, through='program_service_type', forward_key='servicetype_id', backward_key='program_id', related_name='programs', on_delete=OnDelete.CASCADE)),
                ('sites', fields.ManyToManyField('models.SchoolSite', unique=True, db_constraint=True, through='program_site', forward_key='schoolsite_id', backward_key='program_id', related_name='programs', on_delete=OnDelete.CASCADE)),
                ('languages', fields.ManyToManyField('models.Language', unique=True, db_constraint=True, through='program_language', forward_key='language_id', backward_key='program_id', related_name='programs', on_delete=OnDelete.CASCADE)),
                ('during_school', fields.BooleanField(default=False)),
                ('after_school', fields.BooleanField(default=False)),
                ('summer', fields.BooleanField(default=False)),
                ('weekends', fields.BooleanField(default=False)),
                ('grade_min', fields.SmallIntField()),
                ('grade_max', fields.SmallIntField()),
                ('free', fields.BooleanField(default=True)),
                ('cost', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'program', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One program of a partner. Grades use -1 for pre-K and 0 for kindergarten.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Agreement',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner', fields.ForeignKeyField('models.Partner', source_field='partner_id', db_index=True, db_constraint=True, to_field='id', related_name='agreements', on_delete=OnDelete.CASCADE)),
                ('program', fields.ForeignKeyField('models.Program', source_field='program_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='agreements', on_delete=OnDelete.SET_NULL)),
                ('kind', fields.CharEnumField(description='CONTRACT: contract\nDATA_SHARING: data_sharing\nINSURANCE_CERTIFICATE: insurance_certificate', enum_type=AgreementKind, max_length=30)),
                ('status', fields.CharEnumField(description='PENDING: pending\nACTIVE: active\nENDED: ended', enum_type=AgreementStatus, max_length=20)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('reference', fields.CharField(default='', max_length=60)),
                ('notes', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'agreement', 'app': 'models', 'indexes': [Index(fields=['kind', 'status', 'ends_on'])], 'pk_attr': 'id', 'table_description': 'A contract, data-sharing agreement or insurance certificate on file.'},
            bases=['Model'],
        ),
    ]
