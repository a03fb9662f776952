"""Schemathesis against /api/v1/openapi.json with the default checks: no 5xx, statuses, content types and bodies as
documented, invalid input refused, valid input accepted, auth enforced, 405 for undeclared methods.

- the public read endpoints and the cost calculation, anonymously;
- every signed-in read (GET) operation, with a token of each demo role (the same generated request is sent once per
  role). Writes are not fuzzed here: they would change the demo the other tests read; e2e/test_contract.py sends
  them with chosen valid and invalid bodies."""
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import missing_required_header, negative_data_rejection, positive_data_acceptance

from conftest import BASE, api_token

schema = schemathesis.openapi.from_url(BASE + "/api/v1/openapi.json")
PUBLIC = r"^/api/v1/(catalog/|reference/|quote$|openapi)"
public = schema.include(path_regex=PUBLIC)
signed_in = schema.include(method="GET").exclude(path_regex=PUBLIC)
ROLES = {
    "parent": "parent@osinniki.example",
    "provider": "ddt@osinniki.example",
    "municipality": "osinniki@kuzbass.example",
    "operator": "operator@kuzbass.example",
    "monitor": "monitor.osinniki@kuzbass.example",
}
TOKENS = {}


def token(role):
    if role not in TOKENS:
        TOKENS[role] = api_token(ROLES[role])
    return TOKENS[role]


@public.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_public_api_matches_its_description(case):
    # The cost calculation refuses schema-valid but inconsistent dates (a contract outside its group, an end
    # before the start) with 400, as the issue requires: JSON Schema cannot say that two dates are ordered.
    excluded = [positive_data_acceptance] if case.path == "/api/v1/quote" else []
    case.call_and_validate(excluded_checks=excluded)


@signed_in.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_signed_in_reads_match_their_description_for_every_role(case):
    # The only header of these operations is Authorization, and it is set here with a real token: a case generated
    # without it (or with a broken one) is sent signed in, so the checks that expect it refused are left out for it.
    # Requests without a token are checked by the `ignored_auth` probes and by e2e/test_contract.py.
    excluded = [missing_required_header]
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER):
        excluded.append(negative_data_rejection)
    for role in ROLES:
        case.call_and_validate(headers={"Authorization": f"Bearer {token(role)}"}, excluded_checks=excluded)
