"""The project forms: create and change a project, invite a member, hand the project
over. Like the task forms they hold no rules: ProjectService checks every value."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from taskweb import rules
from taskweb.domain.projects import MemberView
from taskweb.models import Project, Role
from taskweb.web.forms import WebForm

# Named colours (a dot beside the project's name), in the order of the spectrum. A colour
# set through the API that is not one of these is offered as "Custom".
COLORS: dict[str, str] = {
    "#d1242f": "Red",
    "#e16f24": "Orange",
    "#bf8700": "Yellow",
    "#2da44e": "Green",
    "#1b998b": "Teal",
    "#2f5bd3": "Blue",
    "#8250df": "Purple",
    "#bf3989": "Pink",
    "#6e7781": "Grey",
}
NO_COLOR = ""
ROLE_LABELS: dict[Role, str] = {
    Role.OWNER: "Owner",
    Role.EDITOR: "Editor",
    Role.VIEWER: "Viewer",
}
INVITED_ROLE_CHOICES = [SelectChoice(Role.EDITOR.value, "Editor"),
                        SelectChoice(Role.VIEWER.value, "Viewer")]


def color_choices(current: str | None = None) -> list[SelectChoice]:
    choices = [SelectChoice(NO_COLOR, "No colour"),
               *(SelectChoice(value, name) for value, name in COLORS.items())]
    if current and current not in COLORS:
        choices.append(SelectChoice(current, f"Custom ({current})"))
    return choices


class ProjectForm(WebForm):
    """A project's name, colour and description (new, or its settings)."""

    name = StringField("Name", render_kw={"required": True, "autocomplete": "off",
                                          "maxlength": rules.PROJECT_NAME_MAX})
    color = SelectField("Colour", choices=color_choices(), validate_choice=False)
    description = TextAreaField("Description (optional)",
                                render_kw={"rows": 2,
                                           "maxlength": rules.PROJECT_DESCRIPTION_MAX})

    @classmethod
    def of(cls, project: Project, formdata: Any = None) -> ProjectForm:
        form = cls(id_scope="project", formdata=formdata, data={
            "name": project.name, "color": project.color or NO_COLOR,
            "description": project.description or "",
        })
        form.color.choices = color_choices(project.color)
        return form

    def project_fields(self) -> dict[str, Any]:
        return {
            "name": self.name.data or "",
            "color": self.value("color"),
            "description": self.value("description"),
        }


class InviteForm(WebForm):
    """Add a member by username or email, as an editor or a viewer."""

    who = StringField("Username or email", render_kw={"required": True,
                                                      "autocomplete": "off",
                                                      "autocapitalize": "none",
                                                      "spellcheck": "false"})
    role = SelectField("Role", choices=INVITED_ROLE_CHOICES, default=Role.EDITOR.value,
                       validate_choice=False)

    def invitation(self) -> dict[str, Any]:
        who = (self.who.data or "").strip()
        return {"email" if "@" in who else "username": who, "role": self.role.data}

    def field_for_error(self, name: str) -> str:
        return "who" if name in ("username", "email") else name


class TransferForm(WebForm):
    """Make another member the owner (the owner stays, as an editor)."""

    new_owner = SelectField("New owner", choices=[], validate_choice=False)

    def offer(self, members: Sequence[MemberView], me: int) -> None:
        self.new_owner.choices = [SelectChoice(str(member.user_id), member.username)
                                  for member in members if member.user_id != me]

    def field_for_error(self, name: str) -> str:
        return "new_owner" if name in ("role", "name") else name
