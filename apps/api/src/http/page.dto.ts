import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

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
