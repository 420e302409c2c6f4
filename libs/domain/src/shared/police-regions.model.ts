/**
 * The police regions Harbour knows, as kebab-case ids. England and Wales follow the National Police
 * Chiefs' Council regions, except that West Yorkshire stands alone because it was a pilot region in
 * 2015 (the rest of Yorkshire and the Humber keeps its own region). Scotland and Northern Ireland
 * each have a single force; they are here because a first responder may be located there.
 */
export const REGIONS = [
  'south-west',
  'west-yorkshire',
  'london',
  'north-west',
  'west-midlands',
  'east',
  'north-east',
  'south-east',
  'east-midlands',
  'wales',
  'yorkshire-and-the-humber',
  'scotland',
  'northern-ireland',
] as const;

/** A UK police region (see {@link REGIONS}). */
export type Region = (typeof REGIONS)[number];

/** The police force areas of each region, as kebab-case ids. Every force belongs to exactly one region. */
export const POLICE_FORCE_AREAS = {
  'south-west': ['avon-and-somerset', 'devon-and-cornwall', 'dorset', 'wiltshire', 'gloucestershire'],
  'west-yorkshire': ['west-yorkshire'],
  london: ['metropolitan', 'city-of-london'],
  'north-west': ['cumbria', 'lancashire', 'merseyside', 'greater-manchester', 'cheshire'],
  'west-midlands': ['west-midlands', 'staffordshire', 'warwickshire', 'west-mercia'],
  east: ['bedfordshire', 'cambridgeshire', 'essex', 'hertfordshire', 'norfolk', 'suffolk'],
  'north-east': ['northumbria', 'durham', 'cleveland'],
  'south-east': ['thames-valley', 'hampshire', 'surrey', 'sussex', 'kent'],
  'east-midlands': ['derbyshire', 'nottinghamshire', 'lincolnshire', 'leicestershire', 'northamptonshire'],
  wales: ['dyfed-powys', 'gwent', 'north-wales', 'south-wales'],
  'yorkshire-and-the-humber': ['north-yorkshire', 'south-yorkshire', 'humberside'],
  scotland: ['police-scotland'],
  'northern-ireland': ['police-service-of-northern-ireland'],
} as const satisfies Record<Region, readonly string[]>;

/** A police force area (see {@link POLICE_FORCE_AREAS}). */
export type PoliceForceArea = (typeof POLICE_FORCE_AREAS)[Region][number];

/** True when `force` is one of the forces of `region`. */
export function isForceInRegion(force: string, region: Region): boolean {
  return (POLICE_FORCE_AREAS[region] as readonly string[]).includes(force);
}
