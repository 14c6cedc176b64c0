from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_link_indexes')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Partner',
            index=Index(fields=['status', 'name', 'id']),
        ),
    ]
