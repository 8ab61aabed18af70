"""Alert choices: immediately, daily digest, off; referrals and countersignatures cannot be off;
the digest goes at the chosen UK time, once a day."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from casework.alert_models import AlertPreference, DigestItem
from casework.alert_preferences import alert_settings, save_alert_settings
from casework.digests import send_digests
from tests.casework.alerts_world import Post, World, decide, refuse, run, submit
from vetting.errors import Invalid

# A winter day (GMT) and a summer day (BST): the digest time is UK local time in both.
WINTER = dt.date(2027, 1, 19)
SUMMER = dt.date(2027, 7, 20)


async def _choose(world: World, actor: object, choices: dict[str, str], at: dt.time = dt.time(8, 0)) -> None:
    async with world.maker() as s:
        await save_alert_settings(s, actor, choices, at)  # type: ignore[arg-type]  # an Actor
        await s.commit()


async def test_off_and_digest_users_get_no_immediate_mail(world: World, post: Post) -> None:
    await _choose(world, world.officer, {"alert_new_request": "off"})
    await _choose(world, world.officer2, {"alert_new_request": "digest"})
    await submit(world, post.mailer)
    inbox = await post.delivered()
    assert inbox.to(world.email(world.officer), "New booking request") == []
    assert inbox.to(world.email(world.officer2), "New booking request") == []
    async with world.maker() as s:
        kept = (await s.execute(select(DigestItem.user_id, DigestItem.kind))).tuples().all()
    assert kept == [(world.officer2.id, "alert_new_request")]


async def test_referral_and_countersignature_cannot_be_turned_off(world: World, post: Post) -> None:
    for kind in ("referral", "alert_countersignature"):
        with pytest.raises(Invalid) as refused:
            await _choose(world, world.officer2, {kind: "off"})
        assert "cannot be turned off" in refused.value.errors[kind]
    # Even a stored "off" (written behind the service's back) is not obeyed.
    async with world.maker() as s:
        s.add(
            AlertPreference(
                user_id=world.officer2.id,
                provider_id=world.officer2.provider_id,
                kind="alert_countersignature",
                delivery="off",
            )
        )
        await s.commit()
        assert (await alert_settings(s, world.officer2.id)).choices["alert_countersignature"] == "immediately"
    case_id, _ = await submit(world, post.mailer)
    await decide(world, post.mailer, world.officer, case_id, refuse())
    assert len((await post.delivered()).to(world.email(world.officer2), "countersignature")) == 1


async def test_mandatory_kinds_may_go_to_the_digest(world: World, post: Post) -> None:
    await _choose(world, world.officer2, {"alert_countersignature": "digest"})
    case_id, _ = await submit(world, post.mailer)
    await decide(world, post.mailer, world.officer, case_id, refuse())
    assert (await post.delivered()).to(world.email(world.officer2), "countersignature") == []
    async with world.maker() as s:
        kinds = (
            (await s.execute(select(DigestItem.kind).where(DigestItem.user_id == world.officer2.id)))
            .scalars()
            .all()
        )
    assert kinds == ["alert_countersignature"]


async def test_unknown_choices_are_refused(world: World) -> None:
    with pytest.raises(Invalid):
        await _choose(world, world.officer, {"alert_new_request": "sometimes"})
    with pytest.raises(Invalid):
        await _choose(world, world.officer, {"not_an_alert": "off"})


@pytest.mark.parametrize("day", [WINTER, SUMMER], ids=["gmt", "bst"])
async def test_the_digest_goes_at_the_chosen_time_once(world: World, post: Post, day: dt.date) -> None:
    from tests.casework.alerts_world import at_uk

    await _choose(world, world.officer2, {"alert_new_request": "digest"}, dt.time(17, 30))
    first, _ = await submit(world, post.mailer)
    second, _ = await submit(world, post.mailer, weeks_ahead=4)
    async with world.maker() as s:  # the alerts were kept the morning of `day`
        await s.execute(DigestItem.__table__.update().values(created_at=at_uk(day, 9)))
        await s.commit()
    assert await run(world, post.mailer, send_digests, at_uk(day, 17, 29)) == 0
    assert await run(world, post.mailer, send_digests, at_uk(day, 17, 31)) == 1
    assert await run(world, post.mailer, send_digests, at_uk(day, 17, 45)) == 0  # once
    inbox = await post.delivered()
    (digest,) = inbox.to(world.email(world.officer2), "Your daily summary")
    assert digest["Subject"] == "Your daily summary: 2 items"
    body = digest.get_content()
    assert f"/officer/cases/{first}" in body and f"/officer/cases/{second}" in body
    assert inbox.to(world.email(world.officer), "Your daily summary") == []

    # An alert after today's digest waits for tomorrow's.
    third, _ = await submit(world, post.mailer, weeks_ahead=5)
    async with world.maker() as s:
        await s.execute(
            DigestItem.__table__.update()
            .where(DigestItem.sent_at.is_(None))
            .values(created_at=at_uk(day, 18))
        )
        await s.commit()
    assert await run(world, post.mailer, send_digests, at_uk(day, 23, 59)) == 0
    tomorrow = day + dt.timedelta(days=1)
    assert await run(world, post.mailer, send_digests, at_uk(tomorrow, 17, 30)) == 1
    (_, later) = (await post.delivered()).to(world.email(world.officer2), "Your daily summary")
    assert (
        f"/officer/cases/{third}" in later.get_content()
        and f"/officer/cases/{first}" not in later.get_content()
    )
    async with world.maker() as s:
        pending = (await s.execute(select(func.count()).where(DigestItem.sent_at.is_(None)))).scalar_one()
    assert pending == 0
