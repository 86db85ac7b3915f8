"""The claims the test provider gives: email (verified unless the user's last name says
"unverified"), name, and a ``groups`` claim from the user's Django groups, as Entra ID, Okta and
Keycloak send group membership."""

from django.utils.translation import gettext_lazy as _
from oidc_provider.lib.claims import ScopeClaims


def userinfo(claims, user):
    claims["name"] = user.get_full_name() or user.username
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["email"] = user.email
    claims["email_verified"] = user.last_name != "unverified"
    return claims


class GroupsClaims(ScopeClaims):
    info_groups = (_("Groups"), _("The groups you belong to."))

    def scope_groups(self):
        return {"groups": sorted(self.user.groups.values_list("name", flat=True))}
