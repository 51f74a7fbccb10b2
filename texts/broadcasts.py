"""A broadcast's progress and its delivery report, for the staff member."""

from __future__ import annotations

from texts.i18n import Translator


def progress_text(
    t: Translator,
    broadcast_id: int,
    figures: dict[str, int],
    elapsed: float,
    state: str,
    final: bool,
) -> str:
    total = sum(figures.values())
    left = figures.get("pending", 0) + figures.get("sending", 0)
    done = total - left
    if final and state == "cancelled":
        head = t.gettext("Broadcast No. {id} was cancelled.").format(id=broadcast_id)
    elif final:
        head = t.gettext("Broadcast No. {id}: delivery report").format(id=broadcast_id)
    else:
        head = t.gettext("Broadcast No. {id} is being sent").format(id=broadcast_id)
    lines = [
        "<b>" + head + "</b>",
        t.gettext("Sent: {n}").format(n=figures.get("sent", 0)),
        t.gettext("Blocked the bot: {n}").format(n=figures.get("blocked", 0)),
        t.gettext("Failed: {n}").format(n=figures.get("failed", 0)),
        t.gettext("Unknown (in flight at a restart): {n}").format(n=figures.get("unknown", 0)),
        t.gettext("Left: {n}").format(n=left),
    ]
    if not final and done and left:
        rate = done / max(elapsed, 1.0)
        minutes = max(1, round(left / rate / 60))
        lines.append(
            t.ngettext(
                "About {n} minute to finish.", "About {n} minutes to finish.", minutes
            ).format(n=minutes)
        )
    return "\n".join(lines)
