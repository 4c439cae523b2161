"""The chain of assignment of incoming documents (AssignmentStep) and the step each document
waits on; the documents still being handled get their leader's assignment as the chain's
first step, so their page shows it and the handler can give it back to that leader."""

import django.db.models.deletion
from django.db import migrations, models

OPEN = ("da-phan-cong", "dang-xu-ly")


def first_steps(apps, schema_editor):
    Document = apps.get_model("registry", "IncomingDocument")
    Change = apps.get_model("registry", "IncomingStateChange")
    Step = apps.get_model("registry", "AssignmentStep")
    Person = apps.get_model("directory", "Person")
    docs = Document.objects.filter(state__in=OPEN, current_step__isnull=True).select_related("lead_person", "lead_unit")
    for doc in docs.iterator(chunk_size=500):
        assigned = Change.objects.filter(document=doc, action="assign", actor__isnull=False).order_by("-at", "-id").first()
        leader = Person.objects.filter(user_id=assigned.actor_id).first() if assigned else None
        if leader is None or (doc.lead_person is None and doc.lead_unit is None):
            continue
        step = Step.objects.create(
            document=doc,
            kind="phan-cong",
            by=leader,
            by_name=assigned.actor_name[:150],
            to_person=doc.lead_person,
            to_unit=doc.lead_unit if doc.lead_person is None else None,
            to_name=(doc.lead_person.full_name if doc.lead_person else doc.lead_unit.name)[:255],
            deadline=doc.deadline,
            note=doc.instructions,
            state="dang-xu-ly" if doc.state == "dang-xu-ly" else "cho-xu-ly",
        )
        Step.objects.filter(pk=step.pk).update(created_at=assigned.at)
        Document.objects.filter(pk=doc.pk).update(current_step=step)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0004_unit_head_role'),
        ('registry', '0005_work_tab_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='AssignmentStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('phan-cong', 'Lãnh đạo phân công'), ('giao-xu-ly', 'Trưởng đơn vị giao xử lý'), ('chuyen-tiep', 'Chuyển tiếp'), ('tra-lai', 'Trả lại'), ('xin-y-kien', 'Xin ý kiến'), ('cho-y-kien', 'Cho ý kiến')], max_length=12, verbose_name='bước')),
                ('by_name', models.CharField(max_length=150, verbose_name='người giao')),
                ('to_name', models.CharField(max_length=255, verbose_name='giao cho')),
                ('deadline', models.DateField(blank=True, null=True, verbose_name='hạn')),
                ('note', models.TextField(blank=True, verbose_name='ý kiến, lý do')),
                ('state', models.CharField(choices=[('cho-xu-ly', 'Chờ xử lý'), ('dang-xu-ly', 'Đang xử lý'), ('da-giao-tiep', 'Đã giao tiếp'), ('bi-tra-lai', 'Bị trả lại'), ('da-cho-y-kien', 'Đã cho ý kiến'), ('hoan-thanh', 'Hoàn thành'), ('da-dong', 'Đã đóng (phân công lại)')], default='cho-xu-ly', max_length=14, verbose_name='tình trạng')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.person', verbose_name='người giao')),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='registry.incomingdocument')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='children', to='registry.assignmentstep')),
                ('reopens', models.ForeignKey(blank=True, help_text='A return: the step by which the person it goes back to holds the document (none: the leaders).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.assignmentstep')),
                ('to_person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.person')),
                ('to_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.unit')),
            ],
            options={
                'verbose_name': 'bước giao việc',
                'verbose_name_plural': 'bước giao việc',
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='incomingdocument',
            name='current_step',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registry.assignmentstep'),
        ),
        migrations.AddIndex(
            model_name='assignmentstep',
            index=models.Index(fields=['to_person', 'kind', 'state'], name='step_waiting_on_person'),
        ),
        migrations.RunPython(first_steps, migrations.RunPython.noop),
    ]
