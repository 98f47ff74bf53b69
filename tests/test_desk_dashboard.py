"""The dashboard: each figure matches the data built here, and opens a list of that many."""

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from caseflow.database import hub_today
from caseflow.dossiers import services
from caseflow.dossiers.models import Dossier
from caseflow.referrals.services import ReferralFields, send
from caseflow.reports.periods import fiscal_year_of
from tests.builders import add_intervention, make_dossier, make_user, organisation, page_text

LINK = re.compile(r'<a (?:class="[^"]*" )?'
                  r'href="(/(?:dossiers/|desk/interventions)\?[^"]+)">(\d+)</a>')


def _age(db, dossier, days: int) -> None:
    db.session.execute(update(Dossier).where(Dossier.id == dossier.id).values(
        state_entered_at=datetime.now(UTC) - timedelta(days=days, hours=1)))
    db.session.commit()


def _follow_up(db, dossier, due: date) -> None:
    db.session.execute(update(Dossier).where(Dossier.id == dossier.id).values(
        next_follow_up=due))
    db.session.commit()


def build_hub(db, coordinator, advisor):
    """Two advisors' dossiers: open and closed, aged, with follow-ups, referrals, interventions."""
    other = make_user("advisor", full_name="Béatrice Autre")
    today = hub_today()
    a1 = make_dossier(advisor, title="Épicerie A1", territory_code="becancour",
                      sector_code="commerce-detail")
    a2 = make_dossier(advisor, title="Coop A2", territory_code="drummond",
                      sector_code="agriculture")
    a3 = make_dossier(advisor, title="Fermé A3", territory_code="drummond")
    add_intervention(a3, advisor, occurred_on=fiscal_year_of(today).start - timedelta(days=2))
    services.apply_transition(a3, advisor, "close", a3.version, outcome="formalise")
    db.session.commit()
    b1 = make_dossier(other, title="Théâtre B1", territory_code="erable", sector_code="culture")
    _age(db, a1, 100)
    _age(db, a2, 10)
    _age(db, b1, 200)
    _follow_up(db, a1, today - timedelta(days=3))     # overdue
    _follow_up(db, a2, today + timedelta(days=2))     # due this week
    _follow_up(db, b1, today - timedelta(days=1))     # overdue
    sent = datetime.now(UTC) - timedelta(days=20)
    send(db.session.get(Dossier, a2.id), advisor, None, ReferralFields(
        organisation("mrc-drummond"), "Vers la MRC.", "", False), at=sent)
    send(db.session.get(Dossier, b1.id), other, None, ReferralFields(
        organisation("mrc-erable"), "Vers la MRC.", "", False))  # sent today: not waiting
    db.session.commit()
    add_intervention(db.session.get(Dossier, a1.id), advisor, minutes=90)
    add_intervention(db.session.get(Dossier, a2.id), advisor, minutes=30)
    add_intervention(db.session.get(Dossier, b1.id), other, minutes=45)
    add_intervention(db.session.get(Dossier, b1.id), other, minutes=60,
                     occurred_on=fiscal_year_of(today).start - timedelta(days=1))  # outside
    return other


def _count_of(client, path: str) -> int:
    text = page_text(client.get(path))
    match = re.search(r'id="(?:caseload|interventions)-count">(\d+)', text)
    return int(match.group(1)) if match else 0


def _row(text: str, heading_id: str, label: str) -> str:
    section = text.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]
    table = section.split("<table", 1)[1]  # after the chart
    return table.split(f"<td>{label}", 1)[1].split("</tr>", 1)[0]


def test_each_figure_matches_the_data_and_opens_a_list_of_that_many(
        db, coordinator, advisor, coordinator_client):
    other = build_hub(db, coordinator, advisor)
    response = coordinator_client.get("/desk/dashboard")
    assert response.status_code == 200
    text = page_text(response)
    assert 'id="open-total">3<' in text  # A1, A2, B1; the closed A3 is not counted
    assert 'id="overdue-total">2<' in text
    first = lambda heading, label: int(re.search(r">(\d+)</a>", _row(text, heading, label))[1])  # noqa: E731
    assert first("h-advisors", advisor.full_name) == 2
    assert first("h-advisors", other.full_name) == 1
    assert first("h-territories", "MRC de Drummond") == 1   # A2 (A3 is closed)
    assert first("h-sectors", "Culture") == 1
    assert first("h-aging", "91–180") == 1    # A1, 100 days
    assert first("h-aging", "181+") == 1      # B1, 200 days
    assert first("h-aging", "0–30") == 1      # A2, 10 days
    overdue, week = re.findall(r">(\d+)</a>", _row(text, "h-follow", advisor.full_name))
    assert (int(overdue), int(week)) == (1, 1)
    assert first("h-referrals", "MRC de Drummond") == 1
    assert "<td>MRC de L'Érable</td>" not in text.split('id="h-referrals"')[1].split("<h3")[0]
    interventions = re.findall(r">(\d+)</a></td>\s*<td class=\"text-end\">([\d,]+)</td>",
                               _row(text, "h-work", advisor.full_name))
    assert interventions == [("2", "2,0")]
    assert re.findall(r">(\d+)</a></td>\s*<td class=\"text-end\">([\d,]+)</td>",
                      _row(text, "h-work", other.full_name)) == [("1", "0,8")]
    # Every figure opens the list it counts: the list says the same number.
    links = LINK.findall(response.get_data(as_text=True))
    assert len(links) >= 15
    for path, count in links:
        assert _count_of(coordinator_client, path.replace("&amp;", "&")) == int(count), path


def test_the_advisor_sees_the_same_for_their_own_dossiers(db, coordinator, advisor,
                                                          advisor_client):
    other = build_hub(db, coordinator, advisor)
    response = advisor_client.get("/desk/dashboard")
    text = page_text(response)
    assert 'id="open-total">2<' in text
    assert other.full_name not in text
    for path, count in LINK.findall(response.get_data(as_text=True)):
        assert _count_of(advisor_client, path.replace("&amp;", "&")) == int(count), path


def test_a_period_is_chosen_and_a_wrong_one_is_refused(db, coordinator, advisor,
                                                       coordinator_client):
    build_hub(db, coordinator, advisor)
    last_year = fiscal_year_of(hub_today()).previous()
    text = page_text(coordinator_client.get(f"/desk/dashboard?period={last_year.label}"))
    assert last_year.label in text
    # Only the intervention dated before this fiscal year is in the previous one.
    assert "Aucune intervention dans la période." not in text
    response = coordinator_client.get("/desk/dashboard?period=hier")
    assert response.status_code == 400
    assert "Période non reconnue" in page_text(response)


def test_charts_are_svg_drawn_on_the_server_with_links(db, coordinator, advisor,
                                                       coordinator_client):
    build_hub(db, coordinator, advisor)
    html = coordinator_client.get("/desk/dashboard").get_data(as_text=True)
    assert html.count("<svg") >= 4
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    assert re.search(r'<svg[^>]*role="img".*?<a href="/dossiers/\?', html, re.S)
