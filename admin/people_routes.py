"""People: find a learner; their enquiries, subscriptions and consent; export
or erase their data; grant or revoke the staff role (admins only)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.session import forbidden, page, services_of
from admin.templating import render, translator_for
from services.admin_auth import Session
from services.roles import NotAllowed, Role
from texts.labels import role_label


async def people_page(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    query = request.query_params.get("q", "")
    found = await services.people.find(session.user_id, query)
    # Who works on the console, by name: the way to a colleague's page.
    staff = [
        (user_id, role_label(t, str(await services.roles.role_of(user_id))))
        for user_id in await services.roles.staff_ids()
    ]
    return render(
        request, "people.html", t, session=session, query=query, found=found, staff=staff
    )


async def person_page(request: Request, session: Session) -> Response:
    services = services_of(request)
    t = translator_for(request, session.lang)
    user_id = request.path_params["id"]
    data, role = await services.people.person(session.user_id, user_id)
    return render(
        request,
        "person.html",
        t,
        session=session,
        user_id=user_id,
        data=data,
        role=role.value,
        role_label=role_label(t, role),
        names=await services.roles.names(),
        is_admin=session.role == Role.ADMIN,
        done=request.query_params.get("done"),
    )


async def export(request: Request, session: Session) -> Response:
    services = services_of(request)
    user_id = request.path_params["id"]
    try:
        body = await services.people.export_json(session.user_id, user_id)
    except NotAllowed:
        return forbidden(request, session)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="learner-{user_id}.json"'},
    )


async def erase(request: Request, session: Session) -> Response:
    services = services_of(request)
    user_id = request.path_params["id"]
    form = await request.form()
    if form.get("confirm") != "yes":
        return RedirectResponse(f"/people/{user_id}?done=unconfirmed", status_code=303)
    try:
        await services.people.erase(session.user_id, user_id)
    except NotAllowed:
        return forbidden(request, session)
    return RedirectResponse(f"/people/{user_id}?done=erased", status_code=303)


async def staff_role(request: Request, session: Session) -> Response:
    services = services_of(request)
    user_id = request.path_params["id"]
    form = await request.form()
    try:
        if form.get("action") == "grant":
            await services.roles.grant_staff(session.user_id, user_id)
        else:
            await services.roles.revoke_staff(session.user_id, user_id)
    except NotAllowed:
        return forbidden(request, session)
    return RedirectResponse(f"/people/{user_id}?done=role", status_code=303)


async def staff_rename(request: Request, session: Session) -> Response:
    """An admin sets the name a staff member is shown by."""
    services = services_of(request)
    user_id = request.path_params["id"]
    form = await request.form()
    try:
        done = await services.roles.rename(session.user_id, user_id, str(form.get("name", "")))
    except NotAllowed:
        return forbidden(request, session)
    return RedirectResponse(
        f"/people/{user_id}?done={'renamed' if done else 'not_staff'}", status_code=303
    )


ROUTES = [
    Route("/people", page(people_page), methods=["GET"]),
    Route("/people/{id:id}", page(person_page), methods=["GET"]),
    Route("/people/{id:id}/export", page(export, write=True), methods=["POST"]),
    Route("/people/{id:id}/erase", page(erase, write=True, once=True), methods=["POST"]),
    Route("/people/{id:id}/staff", page(staff_role, write=True, once=True), methods=["POST"]),
    Route("/people/{id:id}/name", page(staff_rename, write=True, once=True), methods=["POST"]),
]
