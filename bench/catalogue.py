"""A generated catalogue of N procedures, built from the real demo ones by varying their
names, so search runs over realistic Vietnamese words at a province-and-more scale."""

import itertools
import random

from django.db import transaction

from motcua.catalog.models import Fee, Procedure, ProcedureVersion, RequiredDocument
from motcua.catalog.signals import catalog_generation_bump

QUALIFIERS = [
    "đối với cá nhân", "đối với tổ chức", "có yếu tố nước ngoài", "trong trường hợp bị mất",
    "thực hiện tại cấp xã", "thực hiện tại cấp tỉnh", "cho người dưới 14 tuổi",
    "cho người cao tuổi", "đối với hộ gia đình", "đối với doanh nghiệp nhỏ và vừa",
    "trong khu công nghiệp", "tại khu vực biên giới", "cho đồng bào dân tộc thiểu số",
    "đối với người có công", "lần đầu", "cấp lại", "điều chỉnh thông tin", "gia hạn",
]


@transaction.atomic
def generate(total: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    templates = list(
        ProcedureVersion.objects.select_related("field", "agency_kind")
        .prefetch_related("documents", "fees")
    )
    existing = Procedure.objects.count()
    needed = max(0, total - existing)
    counter = itertools.count(1)
    procedures = [Procedure(code=f"8.{next(counter):06d}") for _ in range(needed)]
    Procedure.objects.bulk_create(procedures, batch_size=2000)
    procedures = list(Procedure.objects.filter(code__startswith="8.").order_by("code"))
    versions, plans = [], []
    for procedure in procedures:
        template = rng.choice(templates)
        qualifier = rng.choice(QUALIFIERS)
        versions.append(ProcedureVersion(
            procedure=procedure, effective_from=template.effective_from,
            name=f"{template.name} {qualifier}", field=template.field, levels=template.levels,
            agency_name=template.agency_name, agency_kind=template.agency_kind,
            online_mode=template.online_mode, processing_time=template.processing_time,
            processing_time_unit=template.processing_time_unit, subjects=template.subjects,
            result_name=template.result_name, legal_basis=template.legal_basis,
        ))
        plans.append(template)
    ProcedureVersion.objects.bulk_create(versions, batch_size=2000)
    documents, fees = [], []
    for version, template in zip(versions, plans, strict=True):
        for d in template.documents.all():
            documents.append(RequiredDocument(version=version, key=d.key, name=d.name,
                                              form=d.form, copies=d.copies,
                                              position=d.position))
        for f in template.fees.all():
            fees.append(Fee(version=version, name=f.name, kind=f.kind, amount=f.amount,
                            online_amount=f.online_amount, rule=f.rule, position=f.position))
    RequiredDocument.objects.bulk_create(documents, batch_size=5000)
    Fee.objects.bulk_create(fees, batch_size=5000)
    catalog_generation_bump()
    return Procedure.objects.count()
