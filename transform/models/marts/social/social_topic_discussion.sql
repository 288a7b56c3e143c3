{# One row per topic: comments (replies included) on posts of the topic, and its rank by
   comments descending, then topic_id (1, 2, 3, ... without ties). #}
with comment_counts as (
    select p.topic_id, count(*) as n
    from {{ ref('fct_social_comments') }} as c
    inner join {{ ref('fct_social_posts') }} as p on p.post_id = c.post_id
    where p.topic_id is not null
    group by 1
),

counted as (
    select t.topic_id, t.name, coalesce(cc.n, 0) as comments
    from {{ ref('dim_social_topics') }} as t
    left join comment_counts as cc on cc.topic_id = t.topic_id
),

final as (
    select
        topic_id,
        name,
        comments,
        row_number() over (order by comments desc, topic_id) as rank
    from counted
)

select * from final
