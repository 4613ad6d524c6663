"""lienket.core.cache: Django's Redis cache, with one client object per connection pool (issue #18)."""

from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

from lienket.core.cache import RedisCache


def test_the_redis_cache_builds_its_client_once_and_keeps_djangos_behaviour():
    backend = RedisCache("redis://127.0.0.1:6379/15", {})  # redis-py connects on the first command only
    client = backend._cache
    assert isinstance(client, DjangoRedisCacheClient)
    first = client.get_client()
    assert client.get_client("any key") is first
    assert client.get_client(write=True) is first  # one server: reads and writes share the pool
    assert first.connection_pool is client._pools[0]


def test_with_replicas_each_server_has_its_own_client():
    backend = RedisCache("redis://127.0.0.1:6379/15,redis://127.0.0.1:6380/15", {})
    client = backend._cache
    writer = client.get_client(write=True)
    reader = client.get_client()
    assert client.get_client() is reader
    assert reader is not writer
    assert writer.connection_pool is client._pools[0]
    assert client.get_client().connection_pool is client._pools[1]
