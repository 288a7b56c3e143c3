"""The Cypher the Neo4j graph store runs; ``$g`` is the store's namespace everywhere."""

from __future__ import annotations

# Every node label with its id property: unique per namespace.
NODE_KEYS = {"User": "user_id", "Community": "community_id", "Post": "post_id"}
RELATIONSHIP_TYPES = ("FRIEND", "FOLLOWS", "MEMBER_OF", "AUTHORED")


def constraint(label: str) -> str:
    """Uniqueness of (graph, id): the composite constraint also indexes the MERGE lookups."""
    return (
        f"create constraint vitrina_{label.lower()} if not exists "
        f"for (n:{label}) require (n.graph, n.{NODE_KEYS[label]}) is unique"
    )


def merge_nodes(label: str) -> str:
    """Upsert one node per row of ``$rows``, keyed by the label's id; other fields are set."""
    key = NODE_KEYS[label]
    return f"unwind $rows as r\nmerge (n:{label} {{graph: $g, {key}: r.{key}}})\nset n += r\n"


def merge_relationships(
    rel: str,
    start: tuple[str, str],
    end: tuple[str, str],
    *,
    identity: str = "",
    properties: tuple[str, ...] = (),
) -> str:
    """One ``rel`` per row between existing nodes; ``start``/``end`` are (label, row field).

    ``identity`` is extra properties of the merged pattern (what makes two rows two
    relationships); ``properties`` are row fields set on the relationship.
    """
    (a_label, a_field), (b_label, b_field) = start, end
    lines = [
        "unwind $rows as r",
        f"match (a:{a_label} {{graph: $g, {NODE_KEYS[a_label]}: r.{a_field}}})",
        f"match (b:{b_label} {{graph: $g, {NODE_KEYS[b_label]}: r.{b_field}}})",
        f"merge (a)-[x:{rel}{identity}]->(b)",
        *(f"set x.{p} = r.{p}" for p in properties),
    ]
    return "\n".join(lines) + "\n"


def _counts() -> str:
    parts = [
        f"call () {{ match (n:{label} {{graph: $g}}) return count(n) as {label} }}"
        for label in NODE_KEYS
    ]
    parts += [
        f"call () {{ match (:User {{graph: $g}})-[r:{rel}]->() return count(r) as {rel} }}"
        for rel in RELATIONSHIP_TYPES
    ]
    return "\n".join(parts) + "\nreturn " + ", ".join([*NODE_KEYS, *RELATIONSHIP_TYPES]) + "\n"


CONSTRAINTS = tuple(constraint(label) for label in NODE_KEYS)
MERGE_USERS, MERGE_COMMUNITIES, MERGE_POSTS = (merge_nodes(label) for label in NODE_KEYS)
MERGE_FRIENDS = merge_relationships(
    "FRIEND", ("User", "a"), ("User", "b"), properties=("created_at",)
)
MERGE_FOLLOWS = merge_relationships(
    "FOLLOWS", ("User", "follower_id"), ("User", "followee_id"), properties=("created_at",)
)
# One relationship per membership row: a user who leaves and joins again has two.
MERGE_MEMBERS = merge_relationships(
    "MEMBER_OF",
    ("User", "user_id"),
    ("Community", "community_id"),
    identity=" {joined_at: coalesce(r.joined_at, '')}",
    properties=("left_at",),
)
MERGE_AUTHORED = merge_relationships("AUTHORED", ("User", "user_id"), ("Post", "post_id"))
COUNTS = _counts()
DELETE_NAMESPACE = """
match (n {graph: $g})
call (n) { detach delete n } in transactions of 10000 rows
"""

USER_IDS = "match (u:User {graph: $g}) return u.user_id as id order by id"

# PageRank's arcs: follows plus both directions of every friendship, each (s, t) once.
PROJECT_ARCS = """
match (s:User {graph: $g})
optional match (s)-[r:FOLLOWS|FRIEND]-(t:User)
where type(r) = 'FRIEND' or startNode(r) = s
with distinct s, t
return gds.graph.project($name, s, t) as info
"""
PROJECT_FRIENDS = """
match (s:User {graph: $g})
optional match (s)-[:FRIEND]->(t:User)
return gds.graph.project($name, s, t, {}, {undirectedRelationshipTypes: ['*']}) as info
"""

# GDS lets the mass of users without out-arcs leak away; the pinned PageRank spreads it
# evenly instead. The two differ only by a constant factor (the leaked mass enters every
# user's score alike), so normalising GDS's scores to sum 1 gives the pinned ones.
PAGERANK = """
call gds.pageRank.write($name, {dampingFactor: $damping, maxIterations: 10000,
                                tolerance: 1e-13, writeProperty: 'pagerank_raw'})
yield nodePropertiesWritten
return nodePropertiesWritten
"""
# Writes to every user commit in transactions of BATCH_ROWS rows, never in one.
NORMALISE_PAGERANK = """
match (u:User {graph: $g})
with sum(u.pagerank_raw) as total
match (u:User {graph: $g})
call (u, total) { set u.pagerank = u.pagerank_raw / total } in transactions of 10000 rows
"""
LEIDEN = """
call gds.leiden.write($name, {writeProperty: 'leiden_raw', randomSeed: $seed, concurrency: 1})
yield communityCount
return communityCount
"""
# A community is named by its smallest user_id, as on every backend.
NAME_COMMUNITIES = """
match (u:User {graph: $g})
with u.leiden_raw as raw, collect(u) as users, min(u.user_id) as smallest
unwind users as u
call (u, smallest) { set u.graph_community = smallest } in transactions of 10000 rows
"""
NO_COMMUNITIES = """
match (u:User {graph: $g})
call (u) { set u.graph_community = u.user_id } in transactions of 10000 rows
"""

# The friendship searches run in GDS over the undirected FRIEND projection ``$name``, one
# batch of sources (``$sources``, user ids) per transaction. ``counts[k - 1]`` is the number
# of users at distance exactly k from the source: an unweighted shortest-path search (every
# relationship costs 1), aggregated in the database; distances are contiguous (a user at
# distance k has a neighbour at k - 1), so the list has no gaps.
_DISTANCE_COUNTS = """
unwind $sources as sid
match (s:User {graph: $g, user_id: sid})
call (s) {
  call gds.allShortestPaths.delta.stream($name, {sourceNode: s, logProgress: false})
  yield totalCost
  with totalCost where totalCost > 0
  with toInteger(totalCost) as depth, count(*) as pairs
  order by depth
  return collect(pairs) as counts
}
"""
DISTANCE_COUNTS = _DISTANCE_COUNTS + "return counts\n"
# The same search also gives the source's reach (when every user is a source anyway).
DISTANCE_COUNTS_AND_REACH = (
    _DISTANCE_COUNTS
    + "set s.reach_1 = coalesce(counts[0], 0), s.reach_2 = coalesce(counts[1], 0),\n"
    + "    s.reach_3 = coalesce(counts[2], 0)\nreturn counts\n"
)


def _ball(depth: int) -> str:
    return (
        f"call gds.bfs.stream($name, {{sourceNode: s, maxDepth: {depth}, logProgress: false}}) "
        f"yield nodeIds as ball{depth}\n"
    )


# Reach alone: the users within 1, 2 and 3 hops (GDS breadth-first searches cut at that
# depth; the source is in each ball), differenced.
REACH = (
    "unwind $sources as sid\nmatch (s:User {graph: $g, user_id: sid})\n"
    + "".join(_ball(d) for d in (1, 2, 3))
    + "set s.reach_1 = size(ball1) - 1, s.reach_2 = size(ball2) - size(ball1),\n"
    + "    s.reach_3 = size(ball3) - size(ball2)\n"
)
READ_METRICS = """
match (u:User {graph: $g})
return u.user_id as user_id, u.pagerank as pagerank, u.reach_1 as reach_1,
       u.reach_2 as reach_2, u.reach_3 as reach_3, u.graph_community as graph_community
order by user_id
"""
