import pytest

from motcua.accounts.models import Role, User
from motcua.geo.models import Agency


@pytest.fixture
def demo_history(db, django_capture_on_commit_callbacks):
    """Demo dossiers made through the real services, their facts kept by the tasks."""
    from motcua.demo.dossiers import demo_dossiers_load

    with django_capture_on_commit_callbacks(execute=True):
        demo_dossiers_load(count=80)


@pytest.fixture
def province_leader(db):
    """A leader of the provincial People's Committee (a demo account): the whole province."""
    user = User.objects.get(username="tinh.lanhdao")
    assert user.roles.get().agency == Agency.objects.get(code="000.00.00.H43")
    assert user.roles.get().role == Role.LEADER
    return user


@pytest.fixture
def commune_leader(db):
    return User.objects.get(username="vietri.chutich")  # Phường Việt Trì only
