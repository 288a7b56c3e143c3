{# A reply's parent is a comment of the same post (SOCIAL.md); fails with every reply that is not. #}
{{ config(tags=['social']) }}
select replies.comment_id, replies.post_id, parents.post_id as parent_post_id
from {{ ref('fct_social_comments') }} as replies
left join {{ ref('fct_social_comments') }} as parents
    on parents.comment_id = replies.parent_comment_id
where replies.is_reply and (parents.post_id is null or parents.post_id <> replies.post_id)
