"""The Cypher the Neo4j graph store runs; ``$g`` is the store's namespace everywhere."""

from __future__ import annotations

# Uniqueness per namespace: composite (graph, id) constraints also index the MERGE lookups.
CONSTRAINTS = (
    "create constraint vitrina_user if not exists "
    "for (n:User) require (n.graph, n.user_id) is unique",
    "create constraint vitrina_community if not exists "
    "for (n:Community) require (n.graph, n.community_id) is unique",
    "create constraint vitrina_post if not exists "
    "for (n:Post) require (n.graph, n.post_id) is unique",
)

MERGE_USERS = """
unwind $rows as r
merge (n:User {graph: $g, user_id: r.user_id})
set n += r
"""
MERGE_COMMUNITIES = """
unwind $rows as r
merge (n:Community {graph: $g, community_id: r.community_id})
set n += r
"""
MERGE_POSTS = """
unwind $rows as r
merge (n:Post {graph: $g, post_id: r.post_id})
set n += r
"""
MERGE_FRIENDS = """
unwind $rows as r
match (a:User {graph: $g, user_id: r.a})
match (b:User {graph: $g, user_id: r.b})
merge (a)-[f:FRIEND]->(b)
set f.created_at = r.created_at
"""
MERGE_FOLLOWS = """
unwind $rows as r
match (a:User {graph: $g, user_id: r.follower_id})
match (b:User {graph: $g, user_id: r.followee_id})
merge (a)-[f:FOLLOWS]->(b)
set f.created_at = r.created_at
"""
# One relationship per membership row: a user who leaves and joins again has two.
MERGE_MEMBERS = """
unwind $rows as r
match (u:User {graph: $g, user_id: r.user_id})
match (c:Community {graph: $g, community_id: r.community_id})
merge (u)-[m:MEMBER_OF {joined_at: coalesce(r.joined_at, '')}]->(c)
set m.left_at = r.left_at
"""
MERGE_AUTHORED = """
unwind $rows as r
match (u:User {graph: $g, user_id: r.user_id})
match (p:Post {graph: $g, post_id: r.post_id})
merge (u)-[:AUTHORED]->(p)
"""
COUNTS = """
call () { match (n:User {graph: $g}) return count(n) as users }
call () { match (n:Community {graph: $g}) return count(n) as communities }
call () { match (n:Post {graph: $g}) return count(n) as posts }
call () { match (:User {graph: $g})-[r:FRIEND]->() return count(r) as friend }
call () { match (:User {graph: $g})-[r:FOLLOWS]->() return count(r) as follows }
call () { match (:User {graph: $g})-[r:MEMBER_OF]->() return count(r) as member_of }
call () { match (:User {graph: $g})-[r:AUTHORED]->() return count(r) as authored }
return users as User, communities as Community, posts as Post, friend as FRIEND,
       follows as FOLLOWS, member_of as MEMBER_OF, authored as AUTHORED
"""
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
NORMALISE_PAGERANK = """
match (u:User {graph: $g})
with sum(u.pagerank_raw) as total, collect(u) as users
unwind users as u
set u.pagerank = u.pagerank_raw / total
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
set u.graph_community = smallest
"""
NO_COMMUNITIES = "match (u:User {graph: $g}) set u.graph_community = u.user_id"

ALL_PAIRS_DEPTH = """
call gds.allShortestPaths.stream($name) yield sourceNodeId, targetNodeId, distance
with distance where sourceNodeId <> targetNodeId and distance < 1.0e15
return toInteger(distance) as depth, count(*) as pairs
"""
SAMPLED_DEPTH = """
unwind $sources as sid
match (s:User {graph: $g, user_id: sid})
call gds.allShortestPaths.delta.stream($name, {sourceNode: s}) yield targetNode, totalCost
with totalCost where totalCost > 0
return toInteger(totalCost) as depth, count(*) as pairs
"""

# Users at distance exactly 1, 2, 3 over friendships, level by level.
REACH = """
match (u:User {graph: $g})
call (u) {
  optional match (u)-[:FRIEND]-(a:User)
  with u, collect(distinct a) as l1
  optional match (u)-[:FRIEND]-(:User)-[:FRIEND]-(b:User)
  where b <> u and not b in l1
  with u, l1, collect(distinct b) as l2
  optional match (u)-[:FRIEND]-(:User)-[:FRIEND]-(:User)-[:FRIEND]-(c:User)
  where c <> u and not c in l1 and not c in l2
  return size(l1) as r1, size(l2) as r2, count(distinct c) as r3
}
set u.reach_1 = r1, u.reach_2 = r2, u.reach_3 = r3
"""
READ_METRICS = """
match (u:User {graph: $g})
return u.user_id as user_id, u.pagerank as pagerank, u.reach_1 as reach_1,
       u.reach_2 as reach_2, u.reach_3 as reach_3, u.graph_community as graph_community
order by user_id
"""
