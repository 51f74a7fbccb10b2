"""The browsing menus: main menu, kinds, departments, lists, FAQ topics."""

from __future__ import annotations

from html import escape

from services.catalogue.view import CatalogueView
from services.roles import Role
from texts import callbacks, commands, labels
from texts.callbacks import Action, EnquiryButton
from texts.i18n import Translator
from texts.reply import Button, Reply

PAGE_SIZE = 8
# Initial VET, adult and non-formal courses sit under "Programmes"; the
# driving school and teacher events have their own menu items.
PROGRAMME_KINDS = ("formal", "continuing", "nonformal")


def main_menu(t: Translator, view: CatalogueView, greeting: bool = False) -> Reply:
    centre = escape(view.catalogue.centre.name.get(t.lang))
    if greeting:
        text = t.gettext(
            "Hello! I am the chat assistant of the training centre ({centre}). Ask me about "
            "our programmes, driving courses and events for teachers, or choose below."
        ).format(centre=centre)
    else:
        text = t.gettext("What would you like to know? Choose below or just type your question.")
    reply = Reply(text)
    reply.add_row(
        Button(t.gettext("Programmes"), callbacks.pack(Action.PROGRAMME_KINDS)),
        Button(t.gettext("Driving school"), callbacks.pack(Action.LIST, "driving", "-", 0)),
    )
    reply.add_row(
        Button(t.gettext("For teachers"), callbacks.pack(Action.LIST, "teacher", "-", 0)),
        Button(t.gettext("Questions and answers"), callbacks.pack(Action.FAQ_TOPICS)),
    )
    reply.add_row(
        Button(t.gettext("Contacts"), callbacks.pack(Action.CONTACTS)),
        Button(t.gettext("Language"), callbacks.pack(Action.LANGUAGE)),
    )
    reply.add_row(
        Button(
            t.gettext("Ask the centre"),
            callbacks.pack(Action.ENQUIRY, EnquiryButton.NEW),
        )
    )
    return reply


def help_text(t: Translator, role: Role = Role.LEARNER) -> str:
    """What the bot does and every command the reader may use, one line each."""
    lines = [
        t.gettext("I can help you with:"),
        t.gettext("• programmes, courses for adults and non-formal courses;"),
        t.gettext("• driving school categories, prices and groups;"),
        t.gettext("• events for VET teachers;"),
        t.gettext("• timetables, seats, prices and funding;"),
        t.gettext("• the centre's contacts and opening hours;"),
        t.gettext(
            "• reminders of your group's lessons, exams and deadlines (/schedule, /reminders);"
        ),
        t.gettext("• the centre's announcements, which you can turn off in /settings."),
        "",
        t.gettext("Type a question in Lithuanian or English, for example:"),
        t.gettext("“How much does the B category course cost?”"),
        "",
        t.gettext("Commands:"),
        *commands.command_lines(t, commands.LEARNER_COMMANDS),
    ]
    staff = commands.commands_for(role)[len(commands.LEARNER_COMMANDS) :]
    if staff:
        lines += ["", t.gettext("For the centre's staff:"), *commands.command_lines(t, staff)]
    return "\n".join(lines)


def kinds_menu(t: Translator, view: CatalogueView) -> Reply:
    reply = Reply(t.gettext("Which kind of programme?"))
    for kind in PROGRAMME_KINDS:
        if view.of_kind(kind):
            reply.add_row(Button(labels.kind(t, kind), callbacks.pack(Action.KIND, kind)))
    reply.add_row(Button(t.gettext("« Back"), callbacks.pack(Action.MAIN_MENU)))
    return reply


def departments_menu(t: Translator, view: CatalogueView, kind: str) -> Reply:
    reply = Reply(t.gettext("{kind}: choose a department.").format(kind=labels.kind(t, kind)))
    for department in view.departments_of_kind(kind):
        reply.add_row(
            Button(
                department.name.get(t.lang),
                callbacks.pack(Action.LIST, kind, department.id, 0),
            )
        )
    if any(p.department is None for p in view.of_kind(kind)):
        reply.add_row(Button(t.gettext("Other"), callbacks.pack(Action.LIST, kind, "~", 0)))
    reply.add_row(Button(t.gettext("« Back"), callbacks.pack(Action.PROGRAMME_KINDS)))
    return reply


def programme_list(
    t: Translator, view: CatalogueView, kind: str, department: str, page: int
) -> Reply:
    """One page of programmes; department '-' means all, '~' those without one."""
    programmes = view.of_kind(kind)
    if department == "~":
        programmes = [p for p in programmes if p.department is None]
    elif department != "-":
        programmes = [p for p in programmes if p.department == department]
    pages = max((len(programmes) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 0), pages - 1)
    shown = programmes[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    title = labels.kind(t, kind)
    if department not in ("-", "~") and department in view.departments:
        title = view.departments[department].name.get(t.lang)
    text = f"<b>{escape(title)}</b>\n" + t.ngettext(
        "{n} programme", "{n} programmes", len(programmes)
    ).format(n=len(programmes))
    if pages > 1:
        text += "\n" + t.gettext("Page {page} of {pages}").format(page=page + 1, pages=pages)
    reply = Reply(text)
    for p in shown:
        reply.add_row(Button(p.title.get(t.lang), callbacks.pack(Action.PROGRAMME, p.id)))
    nav: list[Button] = []
    if page > 0:
        nav.append(
            Button(
                t.gettext("‹ Previous"),
                callbacks.pack(Action.LIST, kind, department, page - 1),
            )
        )
    if page < pages - 1:
        nav.append(
            Button(
                t.gettext("Next ›"),
                callbacks.pack(Action.LIST, kind, department, page + 1),
            )
        )
    if nav:
        reply.add_row(*nav)
    back = (
        callbacks.pack(Action.KIND, kind)
        if kind in PROGRAMME_KINDS
        else callbacks.pack(Action.MAIN_MENU)
    )
    reply.add_row(Button(t.gettext("« Back"), back))
    return reply


def faq_topics(t: Translator, view: CatalogueView) -> Reply:
    reply = Reply(t.gettext("Questions and answers: choose a topic."))
    topics = list(dict.fromkeys(f.topic for f in view.catalogue.faq))
    row: list[Button] = []
    for topic in topics:
        row.append(Button(labels.topic(t, topic), callbacks.pack(Action.FAQ_TOPIC, topic)))
        if len(row) == 2:
            reply.add_row(*row)
            row = []
    if row:
        reply.add_row(*row)
    reply.add_row(Button(t.gettext("« Back"), callbacks.pack(Action.MAIN_MENU)))
    return reply


def faq_list(t: Translator, view: CatalogueView, topic: str) -> Reply:
    reply = Reply(f"<b>{escape(labels.topic(t, topic))}</b>")
    for faq in view.catalogue.faq:
        if faq.topic == topic:
            questions = faq.questions.get(t.lang)
            reply.add_row(
                Button(
                    questions[0] if questions else faq.id,
                    callbacks.pack(Action.FAQ, faq.id),
                )
            )
    reply.add_row(Button(t.gettext("« Back"), callbacks.pack(Action.FAQ_TOPICS)))
    return reply


def language_menu(t: Translator) -> Reply:
    reply = Reply(t.gettext("Choose your language."))
    names = {"lt": "Lietuvių", "en": "English"}
    reply.add_row(
        *(
            Button(
                t.gettext("✓ {label} (chosen)").format(label=name) if lang == t.lang else name,
                callbacks.pack(Action.LANGUAGE, lang),
            )
            for lang, name in names.items()
        )
    )
    return reply


def use_the_buttons(t: Translator) -> str:
    """Text typed where a form awaits a button ("ne", "ok", "sutinku")."""
    return t.gettext("Please choose with the buttons below.")


def stale_text(t: Translator) -> str:
    return t.gettext("This menu is out of date. Here is the current one.")


def already_below_text(t: Translator) -> str:
    """A button pressed again right after its card came below the answer."""
    return t.gettext("It is the message just below.")


def stale_menu(t: Translator, view: CatalogueView) -> Reply:
    """The main menu, headed by the notice that the pressed one is out of date."""
    menu = main_menu(t, view)
    menu.text = stale_text(t) + "\n\n" + menu.text
    return menu
