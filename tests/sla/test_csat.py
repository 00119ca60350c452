"""Satisfaction surveys: made per conversation, answered once on a public page, summarised per agent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from parley.inbox import actions as inbox
from parley.inbox.models import AuditEvent
from parley.sla import csat
from parley.sla.models import Survey
from tests.conftest import incoming


@pytest.fixture
def survey(brand, channel, users):
    conv = inbox.ingest_post(brand, channel, incoming("1", "my email is dana@example.com, help",
                                                     at=timezone.now())).conversation
    inbox.assign(conv, users["admin"], users["admin"])
    return csat.create_survey(conv, users["admin"], timezone.now())


def test_the_customer_answers_once_without_logging_in(client, survey):
    page = client.get(csat.survey_path(survey))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Acme" in html and "How satisfied" in html
    assert "dana@example.com" not in html  # no personal data on the public page
    done = client.post(csat.survey_path(survey), {"score": "4", "comment": "Quick and kind <3"})
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    survey.refresh_from_db()
    assert (survey.score, survey.comment) == (4, "Quick and kind <3") and survey.answered_at
    again = client.post(csat.survey_path(survey), {"score": "1"})
    assert "already answered" in again.content.decode()
    survey.refresh_from_db()
    assert survey.score == 4
    assert AuditEvent.objects.filter(verb="csat.answered", actor_label="customer").count() == 1


@pytest.mark.parametrize("data, message", [({}, "score from 1 to 5"), ({"score": "9"}, "score from 1 to 5"),
                                           ({"score": "x"}, "score from 1 to 5"),
                                           ({"score": "3", "comment": "x" * 2001}, "at most 2,000")])
def test_bad_answers_are_refused_and_nothing_is_stored(client, survey, data, message):
    response = client.post(csat.survey_path(survey), data)
    assert response.status_code == 422 and message in response.content.decode()
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_unknown_and_expired_links(client, survey):
    assert client.get("/csat/not-a-token/").status_code == 404
    assert client.get("/csat/" + "a" * 200 + "/").status_code == 404
    Survey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post(csat.survey_path(survey), {"score": "5"}).status_code == 410
    survey.refresh_from_db()
    assert survey.score is None


def test_summary_per_agent(brand, survey, users):
    now = timezone.now()
    csat.answer(survey, 5, "", now)
    other = csat.create_survey(survey.conversation, users["admin"], now)
    csat.answer(other, 2, "slow", now)
    csat.create_survey(survey.conversation, users["admin"], now)  # unanswered
    result = csat.summary(brand)
    assert (result.answered, result.sent, result.average, result.satisfied_share) == (2, 3, 3.5, 0.5)
    assert result.by_agent == {"ada": {"answered": 2, "average": 3.5}}
