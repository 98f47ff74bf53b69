"""The caseload pages through "Page suivante" (keyset), counts up to a cap, and searches a
substring of a reference, a title, a promoter or a contact's name through the search index."""

import html
import re
from datetime import date, timedelta

from caseflow.dossiers import queries, services
from caseflow.dossiers.models import Dossier
from tests.builders import dossier_fields, make_dossier, make_user, page_text

NEXT = re.compile(r'href="(/dossiers/[^"]*apres=[^"]*)">Page suivante')


def _titles(response) -> list[str]:
    return re.findall(r'fw-semibold" href="/dossiers/\d+">([^<]+)</a>',
                      html.unescape(response.get_data(as_text=True)))


def _walk(client, path: str) -> list[str]:
    """Follow the "next page" links from `path` to the last page; return the titles seen."""
    seen, pages = [], 0
    while path:
        response = client.get(path)
        assert response.status_code == 200, path
        seen += _titles(response)
        found = NEXT.search(response.get_data(as_text=True))
        path = html.unescape(found.group(1)) if found else None
        pages += 1
        assert pages < 20
    return seen


def test_next_page_links_walk_every_order_once_without_gap_or_repeat(app, db, advisor,
                                                                       advisor_client):
    app.config["CASELOAD_PAGE_SIZE"] = 3
    colleague = make_user("advisor", full_name="Aline Collègue")
    today = date.today()
    for number in range(8):
        dossier = make_dossier(advisor if number % 3 else colleague,
                               title=f"Projet {'BACDE'[number % 5]}{number}")
        # Ties and blanks: two follow-ups on the same day, two without any.
        dossier.next_follow_up = None if number in (2, 5) else today + timedelta(
            days=number // 2)
    unassigned = db.session.get(Dossier, dossier.id)
    unassigned.advisor_id = None
    db.session.commit()
    dossiers = db.session.query(Dossier).all()

    def expected(key, reverse=False):
        present = sorted((d for d in dossiers if key(d) is not None),
                         key=lambda d: (key(d), d.id), reverse=reverse)
        return [d.title for d in present] + [d.title for d in sorted(
            (d for d in dossiers if key(d) is None), key=lambda d: d.id, reverse=reverse)]

    orders = {
        "-updated": expected(lambda d: d.updated_at, reverse=True),
        "title": expected(lambda d: d.title),
        "-title": expected(lambda d: d.title, reverse=True),
        "follow_up": expected(lambda d: d.next_follow_up),
        "-follow_up": expected(lambda d: d.next_follow_up, reverse=True),
        "advisor": expected(lambda d: d.advisor_id),
        "opened": expected(lambda d: d.opened_on),
        "state_age": expected(lambda d: d.state_entered_at, reverse=True),
    }
    for sort, titles in orders.items():
        assert _walk(advisor_client, f"/dossiers/?scope=all&sort={sort}") == titles, sort
    first = advisor_client.get("/dossiers/?scope=all")
    assert "Revenir au début de la liste" not in page_text(first)
    second = advisor_client.get(html.unescape(NEXT.search(first.get_data(as_text=True))
                                              .group(1)))
    assert "Revenir au début de la liste" in page_text(second)
    # "Mes dossiers" pages only my own.
    mine = [d.title for d in sorted(dossiers, key=lambda d: (d.updated_at, d.id), reverse=True)
            if d.advisor_id == advisor.id]
    assert _walk(advisor_client, "/dossiers/") == mine


def test_a_page_link_that_is_not_one_gets_a_clean_400(db, advisor, advisor_client):
    make_dossier(advisor, title="Coopérative agricole du village")
    for cursor in ["nimporte", "[1]", '["x",1]', '[null,1]', '["2026-01-01T00:00:00",1]',
                   '["2026-01-01T00:00:00+00:00",-4]', '["2026-01-01T00:00:00+00:00",true]']:
        response = advisor_client.get("/dossiers/", query_string={"scope": "all",
                                                                   "apres": cursor})
        assert (cursor, response.status_code) == (cursor, 400)
        text = page_text(response)
        assert "Ce lien de page n'est plus valide" in text, cursor
        assert "Coopérative agricole du village" not in text
    # A cursor of the order asked for is read; one that is past every dossier shows none.
    after_all = '["2000-01-01T00:00:00+00:00",1]'
    response = advisor_client.get("/dossiers/", query_string={"scope": "all",
                                                               "apres": after_all})
    assert response.status_code == 200
    assert "Aucun dossier ne correspond" in page_text(response)


def test_the_count_says_more_than_past_its_cap(monkeypatch, db, advisor, advisor_client):
    for number in range(5):
        make_dossier(advisor, title=f"Dossier {number}")
    assert "5 dossiers" in page_text(advisor_client.get("/dossiers/"))
    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    text = page_text(advisor_client.get("/dossiers/"))
    assert "Plus de 3 dossiers" in text and "5 dossiers" not in text


def test_search_finds_a_piece_of_each_field_and_follows_changes(db, advisor, advisor_client):
    first = make_dossier(advisor, title="Ressourcerie des Bois-Francs",
                         promoter_name="Collectif Réemploi",
                         contacts=[services.ContactFields("Geneviève Lévesque")])
    make_dossier(advisor, title="Café du lac", promoter_name="Groupe du lac",
                 contacts=[services.ContactFields("Hugo Tremblay")])

    def found(q):
        return _titles(advisor_client.get("/dossiers/", query_string={"scope": "all", "q": q}))

    assert found("ois-fran") == ["Ressourcerie des Bois-Francs"]  # inside a word
    assert found("RESSOURCERIE") == ["Ressourcerie des Bois-Francs"]  # any case
    assert found("réemploi") == ["Ressourcerie des Bois-Francs"]  # the promoter
    assert found("vesque") == ["Ressourcerie des Bois-Francs"]  # a contact
    assert found(first.reference) == ["Ressourcerie des Bois-Francs"]
    assert found("du lac") == ["Café du lac"]
    assert found("la") == ["Café du lac"]  # shorter than the index serves: still found
    assert found("lac Ress") == []  # never across two fields
    assert found('"') == [] and found('Bois"') == []

    # The index follows a change of title and of the contacts.
    fields = dossier_fields(title="Friperie solidaire", promoter_name="Collectif Réemploi",
                            contacts=[services.ContactFields("Odile Morin")])
    services.update_dossier(first, advisor, first.version, fields)
    db.session.commit()
    assert found("ressourcerie") == []
    assert found("friperie") == ["Friperie solidaire"]
    assert found("vesque") == [] and found("odile") == ["Friperie solidaire"]
