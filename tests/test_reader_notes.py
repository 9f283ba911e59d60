"""A record's note as the site shows it: the analyst's shorthand (`article 001`, record ids,
vocabulary keys) becomes words a reader can follow."""

from __future__ import annotations

import pytest
from helpers import PROJECT

from citypolicy.load.loader import load
from citypolicy.publish.links import Links
from citypolicy.publish.markup import reader_note

pytestmark = pytest.mark.data  # the shipped articles' outlets


@pytest.fixture(scope="module")
def links() -> Links:
    knowledge, _ = load(PROJECT)
    return Links(knowledge, "places/shenzhen.html")


def test_an_article_number_becomes_its_outlet_linked_to_its_page(links: Links) -> None:
    note = reader_note(links.kb, links, "Held on 23 February 2025 (article 001; 今年2月底 in article 003).")
    assert str(note) == (
        'Held on 23 February 2025 (the <a href="../sources/001_7673d027fa37600e.html">Oriental Outlook</a>'
        ' article; 今年2月底 in the <a href="../sources/003_75256af910aee7c0.html">China Newsweek</a> article).'
    )


def test_several_article_numbers_are_each_linked_and_a_capital_stays(links: Links) -> None:
    note = reader_note(links.kb, links, "Articles 000 and 003 are from 2025.")
    assert str(note).startswith('The <a href="../sources/000_')
    assert '</a> and <a href="../sources/003_' in str(note)
    assert str(note).endswith("</a> articles are from 2025.")


def test_a_number_with_no_article_is_left_as_written(links: Links) -> None:
    assert str(reader_note(links.kb, links, "article 042 & more")) == "article 042 &amp; more"
