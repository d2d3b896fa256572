"""Schemathesis hooks for scripts/fuzz.sh: keep the fuzzing accounts alive while every operation is fuzzed."""
import os

import schemathesis

# Ids of the accounts whose tokens the run uses: banning, demoting, deleting or resetting them would turn the
# rest of the run into a stream of 401s, so a generated user id that points at one of them is sent to a spare
# account instead (every phase calls before_call, the coverage phase included, unlike the filter hooks).
PROTECTED_USER_IDS = {i.strip() for i in os.environ.get("FUZZ_PROTECTED_USER_IDS", "").split(",") if i.strip()}
SPARE_USER_ID = int(os.environ.get("FUZZ_SPARE_USER_ID", "0"))


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    params = case.path_parameters
    if params and str(params.get("user_id")) in PROTECTED_USER_IDS:
        case.path_parameters = {**params, "user_id": SPARE_USER_ID}
