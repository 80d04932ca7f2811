"""Who reaches which part of the Wagtail admin, and the MFA rule for staff."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from academy import selectors
from academy import services as people
from academy.admin_policies import ViewOnlyPolicy
from academy.models import Membership
from certificates.models import Certificate
from portal.services import GROUP_PERMISSIONS, ensure_staff_groups
from tests.academy.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MFA_SETUP = reverse("mfa_activate_totp")
ADMIN_HOME = reverse("wagtailadmin_home")


@pytest.mark.parametrize("group", people.STAFF_GROUPS)
def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, staff_groups, group):
    staff = UserFactory(groups=[group])
    client.force_login(staff)
    for path in (ADMIN_HOME, "/admin/pages/", reverse("wagtailusers_users:index")):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == f"{MFA_SETUP}?next={path}"


def test_a_superuser_without_an_authenticator_is_sent_to_set_one_up(client, db):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    response = client.get(ADMIN_HOME)
    assert response.url == f"{MFA_SETUP}?next={ADMIN_HOME}"


def test_a_trainer_signing_in_for_the_admin_is_taken_to_the_authenticator_setup(
    client, staff_groups
):
    trainer = UserFactory(groups=[people.TRAINERS])
    response = client.post(
        f"{reverse('account_login')}?next={ADMIN_HOME}",
        {"login": trainer.email, "password": PASSWORD},
        follow=True,
    )
    chain = [url for url, _status in response.redirect_chain]
    assert chain[:2] == [ADMIN_HOME, f"{MFA_SETUP}?next={ADMIN_HOME}"]
    # allauth asks for the password again before an authenticator is added.
    assert chain[2].startswith(reverse("account_reauthenticate"))
    response = client.post(chain[2], {"password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(MFA_SETUP)
    assert 'name="code"' in response.content.decode()


@pytest.mark.parametrize("group", people.STAFF_GROUPS)
def test_staff_start_in_the_admin_after_signing_in(client, staff_groups, group):
    staff = UserFactory(groups=[group])
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == ADMIN_HOME


def test_learners_start_on_their_dashboard_and_an_explicit_next_wins_for_staff(
    client, staff_groups, learner
):
    response = client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    assert response.url == reverse("dashboard")
    client.logout()
    trainer = UserFactory(groups=[people.TRAINERS])
    response = client.post(
        f"{reverse('account_login')}?next=/courses/",
        {"login": trainer.email, "password": PASSWORD},
    )
    assert response.url == "/courses/"


def test_staff_with_an_authenticator_reach_the_admin(client, trainer):
    client.force_login(trainer)
    assert client.get(ADMIN_HOME).status_code == 200


def test_without_the_mfa_rule_staff_reach_the_admin_directly(client, staff_groups, settings):
    settings.ACADEMY_STAFF_MFA_REQUIRED = False
    client.force_login(UserFactory(groups=[people.TRAINERS]))
    assert client.get(ADMIN_HOME).status_code == 200


@pytest.mark.parametrize("role", [Membership.Role.LEARNER, Membership.Role.MANAGER])
def test_someone_signed_in_who_is_not_staff_is_told_the_admin_is_for_staff(client, db, role):
    """Not the sign-in page: they are signed in, and it would send them back here, for ever."""
    person = MembershipFactory(role=role).user
    client.force_login(person)
    for path in (ADMIN_HOME, "/admin/pages/", "/admin/login/?next=/admin/"):
        response = client.get(path)
        assert response.status_code == 403, path
        html = response.content.decode()
        assert "This area is for Academy staff" in html
        assert reverse("dashboard") in html
    # They can still sign in again (as another account), and the sign-in page does not loop.
    response = client.get(f"{reverse('account_login')}?next={ADMIN_HOME}", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1
    # The learner's own pages are not affected by the staff rule.
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_header_links_to_the_admin_for_staff_only(client, trainer, learner):
    client.force_login(learner)
    assert f'href="{ADMIN_HOME}"' not in client.get(reverse("dashboard")).content.decode()
    client.force_login(trainer)
    assert f'href="{ADMIN_HOME}">Admin</a>' in client.get(reverse("dashboard")).content.decode()


def test_a_signed_out_visitor_is_asked_to_sign_in(client, db):
    response = client.get(ADMIN_HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_wagtails_own_login_form_sends_staff_to_the_academy_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=/admin/pages/"


def test_a_trainer_edits_course_pages_but_not_people_or_certificates(client, trainer, course_tree):
    client.force_login(trainer)
    edit_course = reverse("wagtailadmin_pages:edit", args=[course_tree.course.pk])
    assert client.get(edit_course).status_code == 200
    add_lesson = reverse(
        "wagtailadmin_pages:add", args=["courses", "lessonpage", course_tree.course.pk]
    )
    assert client.get(add_lesson).status_code == 200
    assert client.get(reverse("question:index")).status_code == 200

    for forbidden in (
        reverse("wagtailusers_users:index"),
        reverse("certificate:index"),
        reverse("auditentry:index"),
        reverse("issue_certificate"),
    ):
        response = client.get(forbidden)
        assert response.status_code == 302, forbidden
        assert response.url == ADMIN_HOME, forbidden

    # Pages outside the catalogue (the home page) are not theirs to edit.
    home_edit = reverse("wagtailadmin_pages:edit", args=[course_tree.home.pk])
    assert client.get(home_edit).status_code == 302


def test_an_administrator_manages_people_and_certificates(client, administrator):
    client.force_login(administrator)
    for allowed in (
        reverse("wagtailusers_users:index"),
        reverse("certificate:index"),
        reverse("auditentry:index"),
        reverse("organisation:index"),
        reverse("issue_certificate"),
    ):
        assert client.get(allowed).status_code == 200, allowed


def test_issued_certificates_and_audit_entries_cannot_be_edited_in_the_admin(client, administrator):
    client.force_login(administrator)
    html = client.get(reverse("certificate:index")).content.decode()
    assert reverse("certificate:add") not in html
    response = client.get(reverse("certificate:add"))
    assert response.status_code == 302
    assert response.url == ADMIN_HOME


def test_ensure_staff_groups_can_run_again_without_changing_anything(catalogue):
    ensure_staff_groups(catalogue=catalogue)

    def snapshot():
        return {
            group.name: (
                sorted(group.permissions.values_list("content_type__app_label", "codename")),
                sorted(group.page_permissions.values_list("page_id", "permission__codename")),
                group.collection_permissions.count(),
            )
            for group in Group.objects.filter(name__in=people.STAFF_GROUPS)
        }

    first = snapshot()
    ensure_staff_groups(catalogue=catalogue)
    assert snapshot() == first
    assert Group.objects.filter(name__in=people.STAFF_GROUPS).count() == len(people.STAFF_GROUPS)
    assert sorted(f"{a}.{c}" for a, c in first[people.TRAINERS][0]) == sorted(
        GROUP_PERMISSIONS[people.TRAINERS]
    )
    assert {codename for _page, codename in first[people.TRAINERS][1]} == {
        "add_page",
        "change_page",
        "publish_page",
    }


def test_ensure_staff_groups_removes_a_permission_added_by_hand(catalogue):
    groups = ensure_staff_groups(catalogue=catalogue)
    delete_user = Permission.objects.get(content_type__app_label="academy", codename="delete_user")
    groups[people.TRAINERS].permissions.add(delete_user)
    ensure_staff_groups(catalogue=catalogue)
    assert not groups[people.TRAINERS].permissions.filter(pk=delete_user.pk).exists()


def test_read_only_records_name_no_one_who_may_change_or_delete_them(administrator):
    """The policy behind issued certificates, signing keys and audit entries answers Wagtail's
    "who may do this" as it answers "may this user": reading only."""
    superuser = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    policy = ViewOnlyPolicy(Certificate)
    assert set(policy.users_with_permission("view")) == {administrator, superuser}
    assert set(policy.users_with_permission("inspect")) == {administrator, superuser}
    for action in ("add", "change", "delete"):
        assert not policy.users_with_permission(action).exists()
        assert not policy.user_has_permission(superuser, action)


def test_staff_membership_is_exactly_who_may_enter_the_admin(staff_groups, learner):
    people_to_ask = [learner, UserFactory(is_superuser=True)]
    people_to_ask += [UserFactory(groups=[group]) for group in people.STAFF_GROUPS]
    people_to_ask.append(UserFactory(groups=[people.TRAINERS], is_active=False))
    direct = UserFactory()
    direct.user_permissions.add(Permission.objects.get(codename="access_admin"))
    people_to_ask.append(direct)
    for person in people_to_ask:
        person = type(person).objects.get(pk=person.pk)  # no permissions cached
        assert selectors.is_staff_member(person) == person.has_perm("wagtailadmin.access_admin")
    assert [selectors.is_staff_member(p) for p in people_to_ask] == [
        False,
        True,
        *[True for _ in people.STAFF_GROUPS],
        False,
        True,
    ]
