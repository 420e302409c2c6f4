import { applyDecorators, type Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/**
 * The one shape of every list: `items`, and `nextCursor` to pass back as `cursor` for the next
 * page (null on the last). A list may add what describes the whole of it (a range, a head).
 */
export function PageOf<Item>(item: Type<Item>): Type<{ items: Item[]; nextCursor: string | null }> {
  class Page {
    @ApiProperty({ type: [item] })
    items!: Item[];

    @ApiProperty({
      type: String,
      nullable: true,
      example: null,
      description: 'Pass back as `cursor` for the next page; null on the last page.',
    })
    nextCursor!: string | null;
  }
  return Page;
}

/**
 * The `cursor` query parameter of a list: a `nextCursor` the API gave (base64url, at most
 * `maxLength` characters); the list itself says whether it is one of its own.
 */
export function PageCursor(maxLength: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      example: 'eyJ2IjoxLCJrIjpbIjIwMTUtMTAtMjBUMTA6MDA6MDAuMDAwWiIsIi4uLiJdfQ',
      maxLength,
      description: 'nextCursor of the previous page (with the same filters).',
    }),
    IsOptional(),
    IsString(),
    MaxLength(maxLength),
    Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a cursor this API gave' }),
  );
}
