"""Flask CLI commands: `flask seed`, `flask create-admin`, `flask worker`, `flask purge`."""
import logging
import threading
import time

import click
from flask.cli import with_appcontext


@click.command("seed")
@click.option("--reset", is_flag=True, help="Delete all rows first and start over.")
@with_appcontext
def seed_command(reset):
    """Load the seed data set (a rerun adds nothing)."""
    from app.seed import run_seed

    run_seed(reset=reset, log=click.echo)


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--username", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_admin_command(email, username, password):
    """Create an admin account (asks for what the options do not give)."""
    from app.seed.admin import create_admin

    user = create_admin(email, username, password)
    click.echo(f"admin {user.username} (id {user.id}) created")


@click.command("worker")
@click.option("--threads", default=2, show_default=True, help="Tasks run at once.")
@with_appcontext
def worker_command(threads):
    """Run the background worker: outbox events, mail, webhooks, periodic sweep and purge."""
    from flask import current_app

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="[%(asctime)s] %(levelname)s %(name)s: %(message)s")
    huey = current_app.extensions["huey"]
    sweep, sweep_every = current_app.extensions["tasks"]["sweep"], current_app.config["OUTBOX_SWEEP_SECONDS"]

    def sweep_forever():
        while True:
            sweep()  # the first at once: whatever a previous worker left due is picked up now
            time.sleep(sweep_every)

    threading.Thread(target=sweep_forever, name="outbox-sweeper", daemon=True).start()
    huey.create_consumer(workers=threads, worker_type="thread", periodic=True).run()


@click.command("purge")
@with_appcontext
def purge_command():
    """Delete expired rows now (the worker does it every hour)."""
    from app.services import maintenance_service

    for kind, count in maintenance_service.purge().items():
        click.echo(f"{kind}: {count} deleted")


def register(app):
    """Attach the project's CLI commands to the app."""
    app.cli.add_command(seed_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(purge_command)
