import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { TagsController } from './tags.controller';

/** Tags live in the articles' tables (ArticlesRepository); this module is their route. */
@Module({
  imports: [ArticlesModule],
  controllers: [TagsController],
})
export class TagsModule {}
