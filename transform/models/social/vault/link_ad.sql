{# One row per ad and its advertiser. #}
{{ vitrina.vault_link('stg_social__ads', 'link_ad_hk', {'ad_hk': ['ad_id'], 'advertiser_hk': ['advertiser_id']}) }}
