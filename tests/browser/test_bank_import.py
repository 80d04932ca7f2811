"""A large question bank import, as a trainer follows it in Chromium: queued for a worker, the
page refreshes itself until the result shows (without JavaScript too), and a refused file lists
its problems; each page checked with axe-core."""

import pytest

from academy import services as people
from assessments import tasks
from assessments.models import BankImport, Question
from assessments.services import bank_imports
from tests.academy.factories import UserFactory
from tests.assessments.factories import QuestionBankFactory
from tests.browser.support import BROWSER_TEST, expect, signed_in_page

pytestmark = BROWSER_TEST


def gift_file(count: int, *, broken: int = 0) -> str:
    return "\n\n".join(
        f"::Q{n}::Is {n} a number?{{{'maybe' if n < broken else 'T'}}}" for n in range(count)
    )


@pytest.fixture
def held_queue(monkeypatch):
    """Imports are queued but not run (as when every worker is busy) until the test runs them."""
    held = []
    monkeypatch.setattr(bank_imports, "enqueue", lambda task, *args: held.append(args) or True)
    return held


def upload(page, live_server, tmp_path, bank, text: str):
    path = tmp_path / "large.gift"
    path.write_text(text, encoding="utf-8")
    page.goto(f"{live_server.url}/admin/assessments/import-gift/?bank={bank.pk}")
    page.get_by_label("GIFT or Moodle XML file").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()


def test_without_javascript_the_trainer_can_have_the_page_refresh_itself_to_the_result(
    live_server, new_context, staff_groups, held_queue, tmp_path, screenshot
):
    trainer = UserFactory(full_name="Tom Ridley", groups=[people.TRAINERS], mfa=True)
    bank = QuestionBankFactory(name="Imported in the background")
    page = signed_in_page(live_server, new_context, trainer, java_script_enabled=False)
    upload(page, live_server, tmp_path, bank, gift_file(150))

    expect(page.get_by_role("heading", name="Waiting for a worker")).to_be_visible()
    expect(page.get_by_role("link", name="Refresh now")).to_be_visible()
    page.get_by_role("link", name="Refresh this page every few seconds").click()
    expect(page.get_by_role("link", name="Stop refreshing")).to_be_visible()
    screenshot(page, "bank-import-waiting-no-js")
    ((bank_import_id,),) = held_queue
    tasks.run_bank_import(bank_import_id)

    # No click: the page reloads itself and shows the result, then stops.
    expect(page.get_by_role("heading", name="Imported")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Imported 150 questions")).to_be_visible()
    page.get_by_role("link", name="See the questions").click()
    expect(page.get_by_text("150 questions", exact=True)).to_be_visible()
    assert Question.objects.filter(bank=bank).count() == 150


def test_with_javascript_the_page_updates_in_place_and_each_state_is_accessible(
    live_server, new_context, staff_groups, held_queue, tmp_path, a11y, screenshot
):
    trainer = UserFactory(full_name="Tom Ridley", groups=[people.TRAINERS], mfa=True)
    bank = QuestionBankFactory(name="Imported in the background")
    page = signed_in_page(live_server, new_context, trainer)
    upload(page, live_server, tmp_path, bank, gift_file(150, broken=3))
    expect(page.get_by_role("heading", name="Waiting for a worker")).to_be_visible()
    screenshot(page, "bank-import-waiting")
    a11y.check(page, "bank import, waiting")
    page.evaluate("window.notReloaded = true")

    ((bank_import_id,),) = held_queue
    tasks.run_bank_import(bank_import_id)
    expect(page.get_by_role("alert")).to_contain_text(
        "Nothing was imported. 3 problems", timeout=15_000
    )
    assert page.evaluate("window.notReloaded") is True  # the region changed, not the page
    expect(page.get_by_role("link", name="Import another file")).to_be_visible()
    screenshot(page, "bank-import-refused")
    a11y.check(page, "bank import, refused")
    assert BankImport.objects.get().status == "refused"
    a11y.assert_clean()
