# The project's virtualenv in .venv, made on first use. Source this file, then: ensure_venv <requirements file>
ensure_venv() {
    if [[ ! -x .venv/bin/python ]]; then
        # Debian ships venv separately; without it `python3 -m venv` fails.
        python3 -m venv .venv || {
            rm -rf .venv
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            python3 -m venv .venv
        }
    fi
    .venv/bin/pip install -q -r "$1"
}
