"""Requests released together: how the concurrency tests race real requests through the real transactions."""
import threading


def at_once(app, *requests):
    """Run each request(client) in its own thread and test client, all released by one barrier; returns what each
    returned, in order. A request that raises fails the test (a crash must not vanish with its thread)."""
    start = threading.Barrier(len(requests), timeout=30)
    results, errors = [None] * len(requests), []

    def run(index, request):
        client = app.test_client()  # each thread: its own client, app context and database session
        start.wait()
        try:
            results[index] = request(client)
        except Exception as error:  # noqa: BLE001 - a crash must fail the test, not vanish with the thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def meet_at_the_door(monkeypatch, parties, *functions):
    """Make the (module, name) functions wait for each other, `parties` callers in all, before they run: every
    request is past authentication and has read nothing when the first one acts."""
    barrier = threading.Barrier(parties, timeout=30)
    for module, name in functions:
        def meeting(*args, _real=getattr(module, name), **kwargs):
            barrier.wait()
            return _real(*args, **kwargs)
        monkeypatch.setattr(module, name, meeting)
