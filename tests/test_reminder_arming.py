"""A reminder burst is started early by its size: when more learners join an
instant already armed, it is armed again for the real count."""

from __future__ import annotations

import datetime as dt

import pytest

from vtcbot.runner import BotRunner


async def test_a_burst_is_rearmed_earlier_when_it_grows(
    running_bot: BotRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Real time: the job queue arms on the wall clock. The instant is an hour
    # ahead, so nothing fires during the test.
    at = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=1)
    counts = [1]

    async def fire_times(_horizon: dt.timedelta) -> list[tuple[dt.datetime, int]]:
        return [(at, counts[0])]

    monkeypatch.setattr(running_bot.services.reminders, "next_fire_times", fire_times)
    scheduler = running_bot.app.job_queue.scheduler  # type: ignore[union-attr]
    job_id = f"reminders-at-{int(at.timestamp())}"

    await running_bot._plan_reminders(None)
    first = scheduler.get_job(job_id).next_run_time
    # The first follower's burst: a moment early.
    assert at - dt.timedelta(seconds=1) < first <= at

    counts[0] = 600
    await running_bot._plan_reminders(None)
    second = scheduler.get_job(job_id).next_run_time
    # 600 at a little under 30 a second: about 21 s early, so the last goes at `at`.
    assert dt.timedelta(seconds=19) < at - second < dt.timedelta(seconds=23)

    # Planning again with the same count leaves it as it is; fewer does not delay it.
    counts[0] = 300
    await running_bot._plan_reminders(None)
    assert scheduler.get_job(job_id).next_run_time == second
    assert len([j for j in scheduler.get_jobs() if j.id == job_id]) == 1
