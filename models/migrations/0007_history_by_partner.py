from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0006_listing_changes')]

    initial = False

    operations = [
        ops.AddField(
            model_name='AuditEntry',
            name='partner_key',
            field=fields.IntField(null=True, db_index=True),
        ),
        # Entries made before: their partner, from the keys they were written with.
        ops.RunSQL(
            [
                "UPDATE audit_entry SET partner_key = (SELECT partner.id FROM partner "
                "WHERE partner.slug = audit_entry.entity_key) WHERE entity = 'Partner'",
                "UPDATE audit_entry SET partner_key = (SELECT program.partner_id FROM "
                "program WHERE program.slug = audit_entry.entity_key) "
                "WHERE entity = 'Program'",
                "UPDATE audit_entry SET partner_key = (SELECT agreement.partner_id FROM "
                "agreement WHERE CAST(agreement.id AS VARCHAR(20)) = "
                "audit_entry.entity_key) WHERE entity = 'Agreement'",
            ],
            reverse_sql=[],
        ),
    ]
