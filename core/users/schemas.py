"""User API shapes (Label Studio's user serializer fields)."""

from __future__ import annotations

from datetime import datetime

import msgspec

ORGANIZATION_ID = 1  # Labelloom has one organization; the id keeps Label Studio clients happy


class UserOut(msgspec.Struct):
    id: int
    email: str
    username: str
    first_name: str
    last_name: str
    phone: str
    avatar: str | None
    initials: str
    allow_newsletters: bool
    custom_hotkeys: dict | None
    is_superuser: bool
    is_active: bool
    active_organization: int
    date_joined: datetime
    last_activity: datetime


class UserCreate(msgspec.Struct, forbid_unknown_fields=False):
    email: str
    password: str | None = None
    username: str | None = None
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    allow_newsletters: bool = False
    is_superuser: bool = False


class UserUpdate(msgspec.Struct, forbid_unknown_fields=False):
    email: str | msgspec.UnsetType = msgspec.UNSET
    username: str | msgspec.UnsetType = msgspec.UNSET
    first_name: str | msgspec.UnsetType = msgspec.UNSET
    last_name: str | msgspec.UnsetType = msgspec.UNSET
    phone: str | msgspec.UnsetType = msgspec.UNSET
    allow_newsletters: bool | msgspec.UnsetType = msgspec.UNSET
    custom_hotkeys: dict | None | msgspec.UnsetType = msgspec.UNSET
    password: str | msgspec.UnsetType = msgspec.UNSET
    # Changing your own password needs the current one.
    current_password: str | msgspec.UnsetType = msgspec.UNSET
    is_superuser: bool | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET


class Credentials(msgspec.Struct):
    email: str
    password: str
    # "Keep me logged in": False gives a browser-session cookie (gone when the browser closes).
    remember: bool = True


class SignupIn(msgspec.Struct, forbid_unknown_fields=False):
    """Sign-up through an invite link: the link's token proves the invitation."""

    email: str
    password: str
    token: str
    first_name: str = ""
    last_name: str = ""
    allow_newsletters: bool = False


class PasswordChange(msgspec.Struct):
    current_password: str
    new_password: str


class InviteOut(msgspec.Struct):
    invite_url: str
    token: str


class InviteCheck(msgspec.Struct):
    valid: bool


class TokenOut(msgspec.Struct):
    token: str


class RefreshIn(msgspec.Struct):
    refresh: str


class AccessOut(msgspec.Struct):
    access: str


class RotatedOut(msgspec.Struct):
    refresh: str


class PersonalTokenOut(msgspec.Struct):
    id: int
    created_at: datetime
    expires_at: datetime
    token: str | None = None


class SetupState(msgspec.Struct):
    needs_admin: bool
