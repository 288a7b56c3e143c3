{# One row per friendship distance present in the graph: unordered pairs of users at it. #}
select depth, pairs from {{ source('graph', 'depth') }}
