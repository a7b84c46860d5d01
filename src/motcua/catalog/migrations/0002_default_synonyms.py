"""Everyday words for catalogue terms, so plain-language searches find the procedure.
The administrator can edit them (Quản trị → Từ đồng nghĩa tìm kiếm)."""

from django.db import migrations

DEFAULT_SYNONYMS = [
    ("bằng lái xe", "giấy phép lái xe"),
    ("bằng lái", "giấy phép lái xe"),
    ("gplx", "giấy phép lái xe"),
    ("sổ đỏ", "giấy chứng nhận quyền sử dụng đất"),
    ("sổ hồng", "giấy chứng nhận quyền sử dụng đất quyền sở hữu nhà ở"),
    ("cccd", "căn cước"),
    ("căn cước công dân", "căn cước"),
    ("chứng minh thư", "chứng minh nhân dân"),
    ("cmnd", "chứng minh nhân dân"),
    ("bhyt", "bảo hiểm y tế"),
    ("bhxh", "bảo hiểm xã hội"),
    ("hộ khẩu", "thường trú"),
    ("nhập hộ khẩu", "đăng ký thường trú"),
    ("cắt hộ khẩu", "xóa đăng ký thường trú"),
    ("làm giấy khai sinh", "đăng ký khai sinh"),
    ("giấy khai sinh", "khai sinh"),
    ("giấy chứng tử", "khai tử"),
    ("báo tử", "khai tử"),
    ("xác nhận độc thân", "xác nhận tình trạng hôn nhân"),
    ("giấy độc thân", "giấy xác nhận tình trạng hôn nhân"),
    ("lý lịch tư pháp", "phiếu lý lịch tư pháp"),
    ("đăng ký kinh doanh", "đăng ký thành lập hộ kinh doanh"),
    ("mở cửa hàng", "đăng ký thành lập hộ kinh doanh"),
    ("sang tên xe", "thay đổi chủ xe"),
    ("biển số", "biển số xe"),
    ("công chứng", "chứng thực"),
    ("sao y", "chứng thực bản sao"),
    ("xin phép xây nhà", "giấy phép xây dựng"),
    ("xây nhà", "giấy phép xây dựng"),
    ("trợ cấp thất nghiệp", "hưởng trợ cấp thất nghiệp"),
    ("tiền mai táng", "trợ cấp mai táng"),
    ("vneid", "định danh điện tử"),
]


def forwards(apps, schema_editor):
    SearchSynonym = apps.get_model("catalog", "SearchSynonym")
    for phrase, replacement in DEFAULT_SYNONYMS:
        SearchSynonym.objects.get_or_create(phrase=phrase, defaults={"replacement": replacement})


def backwards(apps, schema_editor):
    SearchSynonym = apps.get_model("catalog", "SearchSynonym")
    SearchSynonym.objects.filter(phrase__in=[p for p, _ in DEFAULT_SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
