{# Moderators are members of their community (SOCIAL.md); fails with every moderator who is not. #}
{{ config(tags=['social']) }}
select moderators.community_id, moderators.user_id
from {{ ref('stg_social__community_moderators') }} as moderators
where not exists (
    select 1 from {{ ref('stg_social__community_members') }} as members
    where members.community_id = moderators.community_id and members.user_id = moderators.user_id
)
