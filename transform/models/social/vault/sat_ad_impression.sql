{# The versions of each ad impression (impression_id) shown to a user. #}
{{ vitrina.vault_sat('stg_social__ad_impressions', 'link_ad_impression_hk', ['ad_id', 'user_id', 'impression_id'], ['ts']) }}
