{# One row per ad impression (impression_id) shown to a user. #}
{{ vitrina.vault_link('stg_social__ad_impressions', 'link_ad_impression_hk', {'ad_hk': ['ad_id'], 'user_hk': ['user_id']}, keys=['impression_id']) }}
