-- orders_facts must account for every unit and every cent of the order lines
with facts as (
    select sum(total_units) as units, sum(revenue) as revenue from {{ ref('orders_facts') }}
),

lines as (
    select sum(quantity) as units, sum(total_price) as revenue from {{ ref('fct_order_lines') }}
)

select *
from facts cross join lines
where coalesce(facts.units, 0) <> coalesce(lines.units, 0)
   or coalesce(facts.revenue, 0) <> coalesce(lines.revenue, 0)
